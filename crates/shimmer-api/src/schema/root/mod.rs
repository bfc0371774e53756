//! The root types: each lists its fields and leaves them to the module of the type they
//! answer with (see [`super::types`]).

pub mod mutation;
pub mod query;
pub mod subscription;
