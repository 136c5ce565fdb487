# an image repository with capitals
# expect: reference ~ capital letters
output "out" {
  value = provider::hub::parse_image("ghcr.io/Org/api:1.0")
}
