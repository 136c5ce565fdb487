# a reference ending in ':'
# expect: reference ~ the tag after ':' is empty
output "out" {
  value = provider::hub::parse_image("nginx:")
}
