# a database rule without CIDRs would allow every address
# expect: allow_egress_to_databases[0].cidrs ~ every address

resource "hub_network_policy" "bad" {
  name      = "corpus-np"
  namespace = "default"
  deny_all_egress           = true
  allow_egress_to_databases = [{ cidrs = [], ports = [5432] }]
}
