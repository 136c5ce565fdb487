# prefix of 39 characters
# expect: role_name_prefix ~ 1 to 38

resource "hub_irsa_binding" "bad" {
  cluster_name     = "hub-sandbox"
  namespace        = "default"
  service_account  = "corpus-sa"
  role_name_prefix = "ppppppppppppppppppppppppppppppppppppppp"
}
