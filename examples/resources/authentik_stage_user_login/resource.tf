# The minimum: every other attribute takes the server's default.
resource "authentik_stage_user_login" "minimal" {
  name = "login"
}

resource "authentik_stage_user_login" "long_sessions" {
  name                     = "login-remembered"
  session_duration         = "hours=8"
  remember_me_offset       = "days=30"
  remember_device          = "days=7"
  terminate_other_sessions = true
  network_binding          = "bind_asn"
  geoip_binding            = "bind_continent_country"
}
