# a delete timeout from a variable (known at plan only)
# expect: delete_timeout ~ duration

variable "timeout" {
  default = "soon"
}

resource "hub_namespace" "bad" {
  name           = "corpus-ns"
  delete_timeout = var.timeout
}
