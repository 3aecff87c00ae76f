# By binding UUID (bindings have no name; `terraform query` lists them):
terraform import authentik_flow_stage_binding.identify 0f3c5a4e-1b2c-4d5e-8f90-112233445566
