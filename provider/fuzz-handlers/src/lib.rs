//! Support for the `handlers` fuzz target: drawing a request from fuzzer bytes ([`case`], [`values`]) and
//! making it to the in-process provider service with the oracle ([`run`]).

pub mod case;
pub mod run;
pub mod values;
