# By slug (the flow's id):
terraform import authentik_flow.sign_in sign-in
# By UUID (any case, with or without hyphens):
terraform import authentik_flow.sign_in 0f3c5a4e-1b2c-4d5e-8f90-112233445566
