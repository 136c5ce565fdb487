# a dot (namespaces are labels, not subdomains)
# expect: name ~ DNS-1123

resource "hub_namespace" "bad" {
  name = "team.a"
}
