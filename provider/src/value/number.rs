//! Terraform numbers: arbitrary-precision decimals plus the two infinities.
//!
//! cty numbers are `big.Float`s, so Terraform sends `0.1` and integers beyond `i64` as decimal strings. An
//! `f64` or `i64` would silently change such values, which core reports as "inconsistent result"; hence the
//! digits and scale of a [`BigDecimal`], kept normalised (no trailing zeros), which makes structural and
//! numeric equality the same thing and lets `Hash` agree with `Eq`.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use bigdecimal::num_bigint::{BigInt, Sign};
use bigdecimal::{BigDecimal, ToPrimitive, Zero};

/// The largest number of significant decimal digits accepted by [`Number::parse`] (cty itself keeps 512
/// bits, about 155 digits; an exact `f64` needs at most 767).
pub(super) const MAX_DIGITS: usize = 4096;
/// The largest decimal exponent magnitude accepted by [`Number::parse`]: values are `digits × 10^e` with
/// `|e| <= MAX_EXPONENT`. Bounds the cost of printing and comparing numbers from untrusted input.
pub(super) const MAX_EXPONENT: i64 = 8192;

/// A Terraform number: an exact decimal, `+Inf` or `-Inf` (never NaN).
#[derive(Clone, Debug)]
pub struct Number(Repr);

#[derive(Clone, Debug)]
enum Repr {
    /// `digits × 10^-scale`, the parts of a [`BigDecimal`]. Invariant: normalised (no trailing zero digits;
    /// zero has scale 0).
    Finite(BigInt, i64),
    PosInf,
    NegInf,
}

/// A string or float that is not a Terraform number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid number: {0}")]
pub struct NumberError(pub String);

impl Number {
    /// Positive infinity.
    pub fn infinity() -> Number {
        Number(Repr::PosInf)
    }
    /// Negative infinity.
    pub fn neg_infinity() -> Number {
        Number(Repr::NegInf)
    }

    /// Builds `digits × 10^-scale`, normalising it.
    fn from_parts(digits: BigInt, scale: i64) -> Number {
        if digits.is_zero() {
            return Number(Repr::Finite(BigInt::zero(), 0));
        }
        let text = digits.magnitude().to_str_radix(10);
        let trailing = text.bytes().rev().take_while(|b| *b == b'0').count();
        if trailing == 0 {
            return Number(Repr::Finite(digits, scale));
        }
        let kept = &text[..text.len() - trailing];
        let magnitude = BigInt::parse_bytes(kept.as_bytes(), 10).unwrap_or_default();
        let signed = if digits.sign() == Sign::Minus {
            -magnitude
        } else {
            magnitude
        };
        // `trailing` is at most the digit count, so this cannot overflow for any realistic scale.
        Number(Repr::Finite(signed, scale.saturating_sub(trailing as i64)))
    }

    /// The exact value of a float; `None` for NaN. `-0.0` becomes `0`.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            return None;
        }
        if f.is_infinite() {
            return Some(if f > 0.0 {
                Number::infinity()
            } else {
                Number::neg_infinity()
            });
        }
        if f == 0.0 {
            return Some(Number::from(0i64));
        }
        // f = ±mantissa × 2^exp exactly.
        let bits = f.to_bits();
        let negative = bits >> 63 == 1;
        let raw_exp = ((bits >> 52) & 0x7ff) as i64;
        let fraction = bits & ((1u64 << 52) - 1);
        let (mantissa, exp) = if raw_exp == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1u64 << 52), raw_exp - 1075)
        };
        let mut digits = BigInt::from(mantissa);
        let scale = if exp >= 0 {
            digits <<= exp as usize;
            0
        } else {
            // m × 2^-k = m × 5^k / 10^k
            digits *= BigInt::from(5u8).pow((-exp) as u32);
            -exp
        };
        if negative {
            digits = -digits;
        }
        Some(Number::from_parts(digits, scale))
    }

    /// Parses a decimal string: `[+-]digits[.digits][(e|E)[+-]digits]` (either side of the point may be
    /// empty, not both), or an infinity (`Inf`, `+Inf`, `-Inf`, `Infinity`, any case).
    pub fn parse(s: &str) -> Result<Number, NumberError> {
        let err = || NumberError(format!("{:?} is not a decimal number", truncate(s)));
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case("inf") || body.eq_ignore_ascii_case("infinity") {
            return Ok(if negative {
                Number::neg_infinity()
            } else {
                Number::infinity()
            });
        }
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (&body[..i], Some(&body[i + 1..])),
            None => (body, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(err());
        }
        let exp = match exponent {
            None => 0i64,
            Some(e) => {
                let (neg, digits) = match e.as_bytes().first() {
                    Some(b'-') => (true, &e[1..]),
                    Some(b'+') => (false, &e[1..]),
                    _ => (false, e),
                };
                if digits.is_empty() || !all_digits(digits) {
                    return Err(err());
                }
                let mut v: i64 = 0;
                for b in digits.bytes() {
                    v = v
                        .checked_mul(10)
                        .and_then(|v| v.checked_add(i64::from(b - b'0')))
                        .filter(|v| *v <= 4 * MAX_EXPONENT)
                        .ok_or_else(|| NumberError(format!("{:?}: exponent out of range", truncate(s))))?;
                }
                if neg { -v } else { v }
            }
        };
        // value = int_part.frac_part × 10^exp = (int_part frac_part) × 10^-(len(frac) - exp)
        let joined: String = [int_part, frac_part].concat();
        let significant = joined.trim_start_matches('0');
        let trimmed = significant.trim_end_matches('0');
        if trimmed.is_empty() {
            return Ok(Number::from(0i64));
        }
        if trimmed.len() > MAX_DIGITS {
            return Err(NumberError(format!(
                "{:?}: more than {MAX_DIGITS} significant digits",
                truncate(s)
            )));
        }
        let range_err = || NumberError(format!("{:?}: exponent out of range", truncate(s)));
        let len = |p: &str| i64::try_from(p.len()).map_err(|_| range_err());
        // Exponents of the last and the first kept digit.
        let last_exp = exp
            .checked_sub(len(frac_part)?)
            .and_then(|e| e.checked_add(len(significant).ok()? - len(trimmed).ok()?))
            .ok_or_else(range_err)?;
        let first_exp = last_exp.checked_add(len(trimmed)? - 1).ok_or_else(range_err)?;
        if last_exp < -MAX_EXPONENT || first_exp > MAX_EXPONENT {
            return Err(range_err());
        }
        let magnitude = BigInt::parse_bytes(trimmed.as_bytes(), 10).ok_or_else(err)?;
        let digits = if negative { -magnitude } else { magnitude };
        Ok(Number(Repr::Finite(digits, -last_exp)))
    }

    /// Whether this is `+Inf` or `-Inf`.
    pub fn is_infinite(&self) -> bool {
        !matches!(self.0, Repr::Finite(..))
    }
    /// Whether this is a finite whole number.
    pub fn is_integer(&self) -> bool {
        matches!(self.0, Repr::Finite(_, scale) if scale <= 0)
    }
    /// The value as a decimal, if not infinite.
    pub fn to_bigdecimal(&self) -> Option<BigDecimal> {
        match &self.0 {
            Repr::Finite(digits, scale) => Some(BigDecimal::new(digits.clone(), *scale)),
            _ => None,
        }
    }
    /// The normalised `(digits, scale)` of a finite value: it equals `digits × 10^-scale`, and `digits` has
    /// no trailing zeros. Equal numbers have equal parts.
    pub fn parts(&self) -> Option<(&BigInt, i64)> {
        match &self.0 {
            Repr::Finite(digits, scale) => Some((digits, *scale)),
            _ => None,
        }
    }

    /// The value as an `i64`, if it is an integer in range.
    pub fn to_i64(&self) -> Option<i64> {
        let (digits, scale) = self.integer_parts()?;
        let base = digits.to_i64()?;
        10i64
            .checked_pow(u32::try_from(scale.unsigned_abs()).ok()?)
            .and_then(|p| base.checked_mul(p))
    }
    /// The value as a `u64`, if it is a non-negative integer in range.
    pub fn to_u64(&self) -> Option<u64> {
        let (digits, scale) = self.integer_parts()?;
        let base = digits.to_u64()?;
        10u64
            .checked_pow(u32::try_from(scale.unsigned_abs()).ok()?)
            .and_then(|p| base.checked_mul(p))
    }
    fn integer_parts(&self) -> Option<(&BigInt, i64)> {
        self.parts().filter(|(_, scale)| *scale <= 0)
    }

    /// The nearest `f64` (correctly rounded; infinite when out of range).
    pub fn to_f64(&self) -> f64 {
        match &self.0 {
            Repr::PosInf => f64::INFINITY,
            Repr::NegInf => f64::NEG_INFINITY,
            Repr::Finite(digits, scale) => {
                // Rust's float parser is exact for any number of digits.
                format!("{digits}e{}", -i128::from(*scale)).parse().unwrap_or(f64::NAN)
            }
        }
    }

    /// The `f64` with exactly this value, if there is one (infinities included).
    pub fn to_f64_exact(&self) -> Option<f64> {
        let f = self.to_f64();
        (Number::from_f64(f).as_ref() == Some(self)).then_some(f)
    }
}

fn truncate(s: &str) -> String {
    s.chars().take(40).collect()
}

impl From<i64> for Number {
    fn from(n: i64) -> Self {
        Number::from_parts(BigInt::from(n), 0)
    }
}
impl From<u64> for Number {
    fn from(n: u64) -> Self {
        Number::from_parts(BigInt::from(n), 0)
    }
}
impl From<i32> for Number {
    fn from(n: i32) -> Self {
        Number::from(i64::from(n))
    }
}
impl From<u32> for Number {
    fn from(n: u32) -> Self {
        Number::from(i64::from(n))
    }
}
impl From<BigDecimal> for Number {
    fn from(d: BigDecimal) -> Self {
        let (digits, scale) = d.into_bigint_and_exponent();
        Number::from_parts(digits, scale)
    }
}
impl TryFrom<f64> for Number {
    type Error = NumberError;
    fn try_from(f: f64) -> Result<Self, NumberError> {
        Number::from_f64(f).ok_or_else(|| NumberError("NaN is not a number".into()))
    }
}
impl FromStr for Number {
    type Err = NumberError;
    fn from_str(s: &str) -> Result<Self, NumberError> {
        Number::parse(s)
    }
}

impl fmt::Display for Number {
    /// Plain decimal notation as cty prints it: `1`, `-1.5`, `0.000001`, `12345678901234567890123`, `+Inf`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (digits, scale) = match &self.0 {
            Repr::PosInf => return f.write_str("+Inf"),
            Repr::NegInf => return f.write_str("-Inf"),
            Repr::Finite(digits, scale) => (digits, *scale),
        };
        if digits.sign() == Sign::Minus {
            f.write_str("-")?;
        }
        let text = digits.magnitude().to_str_radix(10);
        if scale <= 0 {
            f.write_str(&text)?;
            // |scale| <= MAX_EXPONENT for parsed numbers; other constructors give small scales.
            return (0..scale.unsigned_abs()).try_for_each(|_| f.write_str("0"));
        }
        let scale = usize::try_from(scale).unwrap_or(usize::MAX);
        if text.len() > scale {
            let (int, frac) = text.split_at(text.len() - scale);
            write!(f, "{int}.{frac}")
        } else {
            f.write_str("0.")?;
            (0..scale - text.len()).try_for_each(|_| f.write_str("0"))?;
            f.write_str(&text)
        }
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            // Both normalised: equal values have equal digits and scale.
            (Repr::Finite(a, sa), Repr::Finite(b, sb)) => sa == sb && a == b,
            (Repr::PosInf, Repr::PosInf) | (Repr::NegInf, Repr::NegInf) => true,
            _ => false,
        }
    }
}
impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match &self.0 {
            Repr::Finite(digits, scale) => {
                0u8.hash(state);
                digits.hash(state);
                scale.hash(state);
            }
            Repr::PosInf => 1u8.hash(state),
            Repr::NegInf => 2u8.hash(state),
        }
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        match (&self.0, &other.0) {
            (Repr::Finite(a, sa), Repr::Finite(b, sb)) => {
                BigDecimal::new(a.clone(), *sa).cmp(&BigDecimal::new(b.clone(), *sb))
            }
            (Repr::NegInf, Repr::NegInf) | (Repr::PosInf, Repr::PosInf) => Ordering::Equal,
            (Repr::NegInf, _) | (_, Repr::PosInf) => Ordering::Less,
            (Repr::PosInf, _) | (_, Repr::NegInf) => Ordering::Greater,
        }
    }
}
impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::hash_map::DefaultHasher;

    use proptest::prelude::*;

    use super::*;

    fn n(s: &str) -> Number {
        Number::parse(s).unwrap()
    }
    fn hash(n: &Number) -> u64 {
        let mut h = DefaultHasher::new();
        n.hash(&mut h);
        h.finish()
    }

    #[test]
    fn parses_and_prints_like_cty() {
        for (input, shown) in [
            ("0.1", "0.1"),
            ("1.0", "1"),
            ("1e3", "1000"),
            ("1E+3", "1000"),
            ("-1.50", "-1.5"),
            ("+7", "7"),
            ("007.500", "7.5"),
            ("12345678901234567890123", "12345678901234567890123"),
            (".5", "0.5"),
            ("5.", "5"),
            ("1e-7", "0.0000001"),
            ("-0", "0"),
            ("0.000", "0"),
            ("123.456e1", "1234.56"),
            ("+Inf", "+Inf"),
            ("-inf", "-Inf"),
            ("Infinity", "+Inf"),
        ] {
            assert_eq!(n(input).to_string(), shown, "{input}");
            assert_eq!(n(shown), n(input), "{input} re-parsed");
        }
    }

    #[test]
    fn rejects_what_is_not_a_decimal() {
        for input in [
            "", "-", "+", ".", "1e", "e5", "abc", "1.2.3", " 1", "1 ", "0x10", "NaN", "1_000", "1e+", "--1",
        ] {
            assert!(Number::parse(input).is_err(), "{input:?}");
        }
        assert!(Number::parse("1e99999999999999999999999").is_err());
        assert!(Number::parse(&"9".repeat(MAX_DIGITS + 1)).is_err());
        assert!(Number::parse(&"9".repeat(MAX_DIGITS)).is_ok());
        assert!(Number::parse("1e8192").is_ok());
        assert!(Number::parse("1e8193").is_err());
        assert!(Number::parse("1e-8192").is_ok());
        assert!(Number::parse("1e-8193").is_err());
        // Many zeros are not digits.
        assert_eq!(n(&format!("1{}e-5000", "0".repeat(5000))), n("1"));
    }

    #[test]
    fn equality_is_numeric_and_hash_agrees() {
        let one = [
            n("1"),
            n("1.000"),
            n("0.1e1"),
            Number::from(1i64),
            Number::from(1u64),
            Number::try_from(1.0).unwrap(),
        ];
        for a in &one {
            for b in &one {
                assert_eq!(a, b);
                assert_eq!(hash(a), hash(b));
            }
        }
        assert_ne!(n("1"), n("1.0000000000000000000001"));
        assert_ne!(Number::infinity(), Number::neg_infinity());
    }

    #[test]
    fn orders_numerically() {
        let sorted = [
            Number::neg_infinity(),
            n("-1e30"),
            n("-1"),
            n("0"),
            n("0.1"),
            n("1"),
            n("1e30"),
            Number::infinity(),
        ];
        for (i, a) in sorted.iter().enumerate() {
            for (j, b) in sorted.iter().enumerate() {
                assert_eq!(a.partial_cmp(b), Some(i.cmp(&j)), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn converts_to_integers_only_when_exact() {
        assert_eq!(n("1e3").to_i64(), Some(1000));
        assert_eq!(n("-12").to_i64(), Some(-12));
        assert_eq!(n("1.5").to_i64(), None);
        assert_eq!(Number::from(i64::MAX).to_i64(), Some(i64::MAX));
        assert_eq!(Number::from(i64::MIN).to_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").to_i64(), None);
        assert_eq!(n("9223372036854775808").to_u64(), Some(1 << 63));
        assert_eq!(n("-1").to_u64(), None);
        assert_eq!(n("1e19").to_i64(), None);
        assert_eq!(n("1e8000").to_i64(), None);
        assert_eq!(Number::infinity().to_i64(), None);
        assert!(n("1e3").is_integer() && !n("0.5").is_integer() && !Number::infinity().is_integer());
    }

    #[test]
    fn floats_convert_exactly() {
        assert_eq!(
            Number::from_f64(0.1).unwrap().to_string(),
            "0.1000000000000000055511151231257827021181583404541015625"
        );
        assert_eq!(Number::from_f64(1.5).unwrap(), n("1.5"));
        assert_eq!(Number::from_f64(-0.0).unwrap(), n("0"));
        let big = Number::from_f64(1e300).unwrap();
        assert!(big.is_integer() && big != n("1e300") && big.to_f64() == 1e300);
        assert_eq!(Number::from_f64(f64::INFINITY), Some(Number::infinity()));
        assert_eq!(Number::from_f64(f64::NEG_INFINITY), Some(Number::neg_infinity()));
        assert!(Number::from_f64(f64::NAN).is_none() && Number::try_from(f64::NAN).is_err());
        let tiny = Number::from_f64(5e-324).unwrap();
        assert_eq!(tiny.to_f64(), 5e-324);
        assert_eq!(n("0.1").to_f64(), 0.1);
        assert_eq!(n("0.1").to_f64_exact(), None);
        assert_eq!(n("1.5").to_f64_exact(), Some(1.5));
        assert_eq!(n("1e400").to_f64(), f64::INFINITY);
        assert_eq!(Number::from(BigDecimal::new(BigInt::from(1500), 3)), n("1.5"));
    }

    proptest! {
        #[test]
        fn finite_floats_round_trip(f in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
            let num = Number::from_f64(f).unwrap();
            prop_assert_eq!(num.to_f64(), f);
            prop_assert_eq!(num.to_f64_exact(), Some(f));
            prop_assert_eq!(Number::parse(&num.to_string()).unwrap(), num);
        }

        #[test]
        fn integers_round_trip(i in any::<i64>()) {
            let num = Number::from(i);
            prop_assert_eq!(num.to_i64(), Some(i));
            prop_assert_eq!(num.to_string(), i.to_string());
            prop_assert_eq!(Number::parse(&i.to_string()).unwrap(), num);
        }

        #[test]
        fn decimals_print_and_parse_back(s in "-?[0-9]{1,40}(\\.[0-9]{1,40})?(e-?[0-9]{1,3})?") {
            let num = Number::parse(&s).unwrap();
            prop_assert_eq!(Number::parse(&num.to_string()).unwrap(), num.clone());
            prop_assert_eq!(hash(&Number::parse(&num.to_string()).unwrap()), hash(&num));
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,30}") {
            let _ = Number::parse(&s);
        }
    }
}
