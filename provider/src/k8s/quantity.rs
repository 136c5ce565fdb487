//! Kubernetes quantities as exact decimals, so "0.5" and "500m" compare equal and the API server's
//! canonical form never shows up as drift.

use std::str::FromStr;

use bigdecimal::BigDecimal;

/// The exact value of a quantity string, or `None` if it is not one.
pub fn parse(s: &str) -> Option<BigDecimal> {
    if crate::schema::validators::quantity_problem(s).is_some() {
        return None;
    }
    let split = s.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(s.len());
    let (number, suffix) = s.split_at(split);
    let number = BigDecimal::from_str(number).ok()?;
    let pow = |base: u64, exp: u32| BigDecimal::from(base.pow(exp));
    let factor = match suffix {
        "" => BigDecimal::from(1),
        "n" => BigDecimal::new(1.into(), 9),
        "u" => BigDecimal::new(1.into(), 6),
        "m" => BigDecimal::new(1.into(), 3),
        "k" => pow(1000, 1),
        "M" => pow(1000, 2),
        "G" => pow(1000, 3),
        "T" => pow(1000, 4),
        "P" => pow(1000, 5),
        "E" => pow(1000, 6),
        "Ki" => pow(1024, 1),
        "Mi" => pow(1024, 2),
        "Gi" => pow(1024, 3),
        "Ti" => pow(1024, 4),
        "Pi" => pow(1024, 5),
        "Ei" => pow(1024, 6),
        exp => {
            let e: i64 = exp[1..].parse().ok()?;
            BigDecimal::new(1.into(), e.checked_neg()?)
        }
    };
    Some(number * factor)
}

/// Whether two quantity strings denote the same amount.
pub fn same(a: &str, b: &str) -> bool {
    a == b || matches!((parse(a), parse(b)), (Some(x), Some(y)) if x == y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_amounts_in_different_units() {
        assert!(same("0.5", "500m"));
        assert!(same("1Gi", "1024Mi"));
        assert!(same("1k", "1e3"));
        assert!(same("2", "2000m"));
        assert!(!same("1G", "1Gi"));
        assert!(!same("1", "x"));
    }

    /// From the security review: this exponent passed validation and overflowed when negated.
    #[test]
    fn extreme_exponents_are_refused_not_computed() {
        for s in [
            "1e-9223372036854775808",
            "1e9223372036854775807",
            "1e65",
            "1e-65",
            "1e99999999999999999999",
        ] {
            assert_eq!(parse(s), None, "{s}");
            assert!(crate::schema::validators::quantity_problem(s).is_some(), "{s}");
        }
        assert!(same("1e64", "1e64"));
        assert!(same("1e-9", "1n"));
    }
}
