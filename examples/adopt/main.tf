# Bring an existing authentik under Terraform (docs/guides/adopt.md):
#
#   terraform query -generate-config-out=generated.tf   # list every stage, write resource + import blocks
#   # review generated.tf: it holds no secrets, and a secret left out is not managed (authentik
#   # keeps it) until you set it (the guide lists which secrets are left out, and why)
#   terraform plan                                      # only imports, no changes
#   terraform apply
#
# Needs Terraform 1.14 or later (`terraform query`); import blocks by identity need 1.12.

terraform {
  required_version = ">= 1.14.0"
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

# url and token come from AUTHENTIK_URL and AUTHENTIK_TOKEN here.
provider "authentik" {}
