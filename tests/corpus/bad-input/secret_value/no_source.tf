# no source at all: hub would not know which secret to read
# expect: kubernetes_secret ~ exactly one
ephemeral "hub_secret_value" "s" {
}
