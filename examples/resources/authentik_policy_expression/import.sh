# By policy UUID (any case, with or without hyphens):
terraform import authentik_policy_expression.has_mfa 0f3c5a4e-1b2c-4d5e-8f90-112233445566
# By exact policy name:
terraform import authentik_policy_expression.has_mfa name:user-has-mfa
