//! The names hub writes on Kubernetes objects: its field manager, its label, and the IRSA annotation. They
//! live here, below the resources, because the Kubernetes layer (batched reads) selects by them too.

/// The label every object hub manages carries.
pub const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "hub");

/// The field manager hub uses for server-side apply, so ownership of every field is visible.
pub const FIELD_MANAGER: &str = "hub";

/// The service-account annotation the EKS pod identity webhook reads: the IAM role pods assume (IRSA).
pub const ROLE_ARN_ANNOTATION: &str = "eks.amazonaws.com/role-arn";
