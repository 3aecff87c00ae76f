terraform {
  required_providers {
    authentik = {
      source = "goauthentik/authentik"
    }
  }
}

# url and token may also come from AUTHENTIK_URL and AUTHENTIK_TOKEN.
provider "authentik" {
  url   = "https://authentik.example.com"
  token = var.authentik_token

  # Optional:
  # insecure        = false  # skip TLS verification (test servers only)
  # headers         = { "X-Proxy-Auth" = var.proxy_secret }
  # request_timeout = 30     # seconds per HTTP request
  # max_retries     = 4      # retries on timeouts, dropped connections, 429 and 502/504
  # retry_timeout   = 120    # seconds to wait out an unreachable authentik (a restart)
}

variable "authentik_token" {
  type      = string
  sensitive = true
}
