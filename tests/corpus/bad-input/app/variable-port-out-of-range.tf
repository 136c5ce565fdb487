# an out-of-range port from a variable (known at plan only)
# expect: port ~ from 1 to 65535

variable "port" {
  default = 99999
}

resource "hub_app" "bad" {
  name      = "corpus-app"
  namespace = "default"
  image     = "nginx:1.27"
  port      = var.port
}
