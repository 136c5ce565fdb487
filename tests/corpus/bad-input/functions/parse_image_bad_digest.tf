# a truncated digest
# expect: reference ~ is not "<algorithm>:<hex>"
output "out" {
  value = provider::hub::parse_image("nginx@sha256:abc")
}
