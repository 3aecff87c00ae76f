resource "authentik_stage_consent" "minimal" {
  name = "consent"
}

resource "authentik_stage_consent" "monthly" {
  name              = "consent-monthly"
  mode              = "expiring"
  consent_expire_in = "days=30"
}
