# By stage UUID (any case, with or without hyphens):
terraform import authentik_stage_user_logout.logout 0f3c5a4e-1b2c-4d5e-8f90-112233445566
# By exact stage name:
terraform import authentik_stage_user_logout.logout name:logout
