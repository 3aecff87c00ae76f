# By stage UUID (any case, with or without hyphens):
terraform import authentik_stage_email.global 0f3c5a4e-1b2c-4d5e-8f90-112233445566
# By exact stage name:
terraform import authentik_stage_email.global name:enrollment-email-verification
# authentik never returns the password: the first apply after an import sends it.
