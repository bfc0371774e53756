//! AMF0 (Action Message Format, version 0): the encoding of RTMP commands (`connect`,
//! `publish`, ...) and of `@setDataFrame onMetaData`.
//!
//! Decoding is bounded by [`Amf0Limits`]: nesting depth, string length and entries per
//! object/array. Declared counts (ECMA and strict arrays) are never trusted for allocation: values
//! are read one by one until the input runs out. References, AVM+ (AMF3) switches, record sets and
//! movie clips are refused; no RTMP publisher sends them in the commands a server must read.

use thiserror::Error;

const NUMBER: u8 = 0x00;
const BOOLEAN: u8 = 0x01;
const STRING: u8 = 0x02;
const OBJECT: u8 = 0x03;
const NULL: u8 = 0x05;
const UNDEFINED: u8 = 0x06;
const ECMA_ARRAY: u8 = 0x08;
const OBJECT_END: u8 = 0x09;
const STRICT_ARRAY: u8 = 0x0A;
const DATE: u8 = 0x0B;
const LONG_STRING: u8 = 0x0C;
const XML_DOCUMENT: u8 = 0x0F;
const TYPED_OBJECT: u8 = 0x10;

/// One AMF0 value. Objects keep their properties in wire order (duplicates included).
#[derive(Debug, Clone, PartialEq)]
pub enum Amf0Value {
    /// IEEE 754 double.
    Number(f64),
    /// Boolean.
    Boolean(bool),
    /// A string (short or long on the wire; invalid UTF-8 is replaced, never refused).
    String(String),
    /// Anonymous object.
    Object(Vec<(String, Amf0Value)>),
    /// `null`.
    Null,
    /// `undefined`.
    Undefined,
    /// ECMA (associative) array, as `onMetaData` uses.
    EcmaArray(Vec<(String, Amf0Value)>),
    /// Strict (dense) array.
    StrictArray(Vec<Amf0Value>),
    /// Milliseconds since the epoch and a time-zone field senders set to 0.
    Date {
        /// Milliseconds since 1970-01-01 UTC.
        millis: f64,
        /// Time-zone offset in minutes (reserved; 0 in practice).
        time_zone: i16,
    },
    /// XML document (a long string).
    XmlDocument(String),
    /// Object with a class name.
    TypedObject {
        /// The class name.
        class: String,
        /// Its properties.
        properties: Vec<(String, Amf0Value)>,
    },
}

impl From<&str> for Amf0Value {
    fn from(text: &str) -> Self {
        Self::String(text.to_owned())
    }
}

impl Amf0Value {
    /// The string inside a `String` value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Amf0Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number inside a `Number` value.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Amf0Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The properties of an object, ECMA array or typed object.
    pub fn properties(&self) -> Option<&[(String, Amf0Value)]> {
        match self {
            Amf0Value::Object(p) | Amf0Value::EcmaArray(p) => Some(p),
            Amf0Value::TypedObject { properties, .. } => Some(properties),
            _ => None,
        }
    }

    /// The first property named `key` of an object-like value.
    pub fn get(&self, key: &str) -> Option<&Amf0Value> {
        self.properties()?
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }
}

/// Bounds on what the decoder accepts.
#[derive(Debug, Clone, Copy)]
pub struct Amf0Limits {
    /// Deepest nesting of objects and arrays (the top-level value is depth 1).
    pub max_depth: usize,
    /// Longest string, key or XML document in bytes.
    pub max_string_len: usize,
    /// Most properties or elements in one object or array.
    pub max_entries: usize,
}

impl Default for Amf0Limits {
    fn default() -> Self {
        Self {
            max_depth: 16,
            max_string_len: 64 * 1024,
            max_entries: 1024,
        }
    }
}

/// Why AMF0 bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Amf0Error {
    /// The input ended inside a value.
    #[error("AMF0 value truncated")]
    Truncated,
    /// A type marker this decoder does not read.
    #[error("unsupported AMF0 type marker 0x{0:02x}")]
    UnsupportedMarker(u8),
    /// Nesting deeper than [`Amf0Limits::max_depth`].
    #[error("AMF0 nesting deeper than {0}")]
    TooDeep(usize),
    /// A string longer than [`Amf0Limits::max_string_len`].
    #[error("AMF0 string of {len} bytes exceeds the limit of {max}")]
    StringTooLong {
        /// Declared length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// More entries than [`Amf0Limits::max_entries`].
    #[error("AMF0 object or array with more than {0} entries")]
    TooManyEntries(usize),
    /// An object-end marker where a value was expected.
    #[error("unexpected AMF0 object-end marker")]
    UnexpectedObjectEnd,
}

/// Reads AMF0 values one after another from a byte slice.
#[derive(Debug)]
pub struct Amf0Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    limits: Amf0Limits,
}

impl<'a> Amf0Reader<'a> {
    /// A reader over `buf`.
    pub fn new(buf: &'a [u8], limits: Amf0Limits) -> Self {
        Self {
            buf,
            pos: 0,
            limits,
        }
    }

    /// True when every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// The next value.
    pub fn read(&mut self) -> Result<Amf0Value, Amf0Error> {
        self.value(1)
    }

    /// Every remaining value.
    pub fn read_all(&mut self) -> Result<Vec<Amf0Value>, Amf0Error> {
        let mut values = Vec::new();
        while !self.is_empty() {
            if values.len() >= self.limits.max_entries {
                return Err(Amf0Error::TooManyEntries(self.limits.max_entries));
            }
            values.push(self.read()?);
        }
        Ok(values)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], Amf0Error> {
        let end = self.pos.checked_add(n).ok_or(Amf0Error::Truncated)?;
        let bytes = self.buf.get(self.pos..end).ok_or(Amf0Error::Truncated)?;
        self.pos = end;
        Ok(bytes)
    }

    fn u8(&mut self) -> Result<u8, Amf0Error> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, Amf0Error> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn u32(&mut self) -> Result<u32, Amf0Error> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self) -> Result<f64, Amf0Error> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_be_bytes(a))
    }

    fn string_of(&mut self, len: usize) -> Result<String, Amf0Error> {
        if len > self.limits.max_string_len {
            return Err(Amf0Error::StringTooLong {
                len,
                max: self.limits.max_string_len,
            });
        }
        Ok(String::from_utf8_lossy(self.take(len)?).into_owned())
    }

    fn short_string(&mut self) -> Result<String, Amf0Error> {
        let len = self.u16()? as usize;
        self.string_of(len)
    }

    fn long_string(&mut self) -> Result<String, Amf0Error> {
        let len = self.u32()? as usize;
        self.string_of(len)
    }

    fn value(&mut self, depth: usize) -> Result<Amf0Value, Amf0Error> {
        if depth > self.limits.max_depth {
            return Err(Amf0Error::TooDeep(self.limits.max_depth));
        }
        let marker = self.u8()?;
        Ok(match marker {
            NUMBER => Amf0Value::Number(self.f64()?),
            BOOLEAN => Amf0Value::Boolean(self.u8()? != 0),
            STRING => Amf0Value::String(self.short_string()?),
            OBJECT => Amf0Value::Object(self.properties(depth)?),
            NULL => Amf0Value::Null,
            UNDEFINED => Amf0Value::Undefined,
            ECMA_ARRAY => {
                // The declared count is advisory (senders get it wrong); the end marker decides.
                self.u32()?;
                Amf0Value::EcmaArray(self.properties(depth)?)
            }
            OBJECT_END => return Err(Amf0Error::UnexpectedObjectEnd),
            STRICT_ARRAY => {
                let count = self.u32()? as usize;
                if count > self.limits.max_entries {
                    return Err(Amf0Error::TooManyEntries(self.limits.max_entries));
                }
                let mut items = Vec::new();
                for _ in 0..count {
                    items.push(self.value(depth + 1)?);
                }
                Amf0Value::StrictArray(items)
            }
            DATE => {
                let millis = self.f64()?;
                let time_zone = self.u16()? as i16;
                Amf0Value::Date { millis, time_zone }
            }
            LONG_STRING => Amf0Value::String(self.long_string()?),
            XML_DOCUMENT => Amf0Value::XmlDocument(self.long_string()?),
            TYPED_OBJECT => {
                let class = self.short_string()?;
                let properties = self.properties(depth)?;
                Amf0Value::TypedObject { class, properties }
            }
            other => return Err(Amf0Error::UnsupportedMarker(other)),
        })
    }

    /// Key/value pairs up to the empty key followed by the object-end marker.
    fn properties(&mut self, depth: usize) -> Result<Vec<(String, Amf0Value)>, Amf0Error> {
        let mut props = Vec::new();
        loop {
            let key = self.short_string()?;
            if key.is_empty() && self.buf.get(self.pos) == Some(&OBJECT_END) {
                self.pos += 1;
                return Ok(props);
            }
            if props.len() >= self.limits.max_entries {
                return Err(Amf0Error::TooManyEntries(self.limits.max_entries));
            }
            let value = self.value(depth + 1)?;
            props.push((key, value));
        }
    }
}

/// Decodes every value in `buf`.
pub fn decode_all(buf: &[u8], limits: Amf0Limits) -> Result<Vec<Amf0Value>, Amf0Error> {
    Amf0Reader::new(buf, limits).read_all()
}

/// Appends the encoding of `value` to `out`. Strings longer than 65 535 bytes become long strings;
/// keys that long are cut (no sender needs them).
pub fn encode(value: &Amf0Value, out: &mut Vec<u8>) {
    match value {
        Amf0Value::Number(n) => {
            out.push(NUMBER);
            out.extend_from_slice(&n.to_be_bytes());
        }
        Amf0Value::Boolean(b) => {
            out.push(BOOLEAN);
            out.push(u8::from(*b));
        }
        Amf0Value::String(s) => match u16::try_from(s.len()) {
            Ok(len) => {
                out.push(STRING);
                out.extend_from_slice(&len.to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            Err(_) => {
                out.push(LONG_STRING);
                put_long_string(s, out);
            }
        },
        Amf0Value::Object(props) => {
            out.push(OBJECT);
            put_properties(props, out);
        }
        Amf0Value::Null => out.push(NULL),
        Amf0Value::Undefined => out.push(UNDEFINED),
        Amf0Value::EcmaArray(props) => {
            out.push(ECMA_ARRAY);
            out.extend_from_slice(&(props.len() as u32).to_be_bytes());
            put_properties(props, out);
        }
        Amf0Value::StrictArray(items) => {
            out.push(STRICT_ARRAY);
            out.extend_from_slice(&(items.len() as u32).to_be_bytes());
            for item in items {
                encode(item, out);
            }
        }
        Amf0Value::Date { millis, time_zone } => {
            out.push(DATE);
            out.extend_from_slice(&millis.to_be_bytes());
            out.extend_from_slice(&time_zone.to_be_bytes());
        }
        Amf0Value::XmlDocument(s) => {
            out.push(XML_DOCUMENT);
            put_long_string(s, out);
        }
        Amf0Value::TypedObject { class, properties } => {
            out.push(TYPED_OBJECT);
            put_key(class, out);
            put_properties(properties, out);
        }
    }
}

/// Encodes a sequence of values (a command: name, transaction id, arguments).
pub fn encode_all(values: &[Amf0Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for value in values {
        encode(value, &mut out);
    }
    out
}

fn put_long_string(s: &str, out: &mut Vec<u8>) {
    let bytes = &s.as_bytes()[..s.len().min(u32::MAX as usize)];
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn put_key(key: &str, out: &mut Vec<u8>) {
    let bytes = &key.as_bytes()[..key.len().min(u16::MAX as usize)];
    out.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn put_properties(props: &[(String, Amf0Value)], out: &mut Vec<u8>) {
    for (key, value) in props {
        put_key(key, out);
        encode(value, out);
    }
    out.extend_from_slice(&[0, 0, OBJECT_END]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(value: Amf0Value) {
        let mut bytes = Vec::new();
        encode(&value, &mut bytes);
        let limits = Amf0Limits {
            max_string_len: 100_000,
            ..Amf0Limits::default()
        };
        let decoded = decode_all(&bytes, limits).unwrap();
        assert_eq!(decoded, vec![value]);
    }

    #[test]
    fn every_type_round_trips() {
        round_trip(Amf0Value::Number(-1.5));
        round_trip(Amf0Value::Boolean(true));
        round_trip(Amf0Value::String("live".into()));
        round_trip(Amf0Value::String("x".repeat(70_000)));
        round_trip(Amf0Value::Null);
        round_trip(Amf0Value::Undefined);
        round_trip(Amf0Value::Date {
            millis: 1.7e12,
            time_zone: 0,
        });
        round_trip(Amf0Value::XmlDocument("<a/>".into()));
        round_trip(Amf0Value::StrictArray(vec![
            Amf0Value::Number(1.0),
            Amf0Value::String("two".into()),
        ]));
        round_trip(Amf0Value::TypedObject {
            class: "Cls".into(),
            properties: vec![("k".into(), Amf0Value::Null)],
        });
        round_trip(Amf0Value::Object(vec![
            ("app".into(), Amf0Value::String("live".into())),
            (
                "nested".into(),
                Amf0Value::EcmaArray(vec![("width".into(), Amf0Value::Number(1280.0))]),
            ),
        ]));
    }

    #[test]
    fn connect_command_from_ffmpeg_decodes() {
        // The start of ffmpeg's `connect`: name, transaction 1, object with `app`.
        let mut bytes = vec![0x02, 0x00, 0x07];
        bytes.extend_from_slice(b"connect");
        bytes.push(0x00);
        bytes.extend_from_slice(&1.0f64.to_be_bytes());
        bytes.extend_from_slice(&[0x03, 0x00, 0x03]);
        bytes.extend_from_slice(b"app");
        bytes.extend_from_slice(&[0x02, 0x00, 0x04]);
        bytes.extend_from_slice(b"live");
        bytes.extend_from_slice(&[0x00, 0x00, 0x09]);
        let values = decode_all(&bytes, Amf0Limits::default()).unwrap();
        assert_eq!(values[0].as_str(), Some("connect"));
        assert_eq!(values[1].as_number(), Some(1.0));
        assert_eq!(
            values[2].get("app").and_then(Amf0Value::as_str),
            Some("live")
        );
    }

    #[test]
    fn limits_are_enforced() {
        let limits = Amf0Limits {
            max_depth: 3,
            max_string_len: 8,
            max_entries: 2,
        };
        let mut deep = Amf0Value::Null;
        for _ in 0..4 {
            deep = Amf0Value::StrictArray(vec![deep]);
        }
        let bytes = encode_all(&[deep]);
        assert_eq!(decode_all(&bytes, limits), Err(Amf0Error::TooDeep(3)));

        let bytes = encode_all(&[Amf0Value::String("123456789".into())]);
        assert_eq!(
            decode_all(&bytes, limits),
            Err(Amf0Error::StringTooLong { len: 9, max: 8 })
        );

        let bytes = encode_all(&[Amf0Value::Object(vec![
            ("a".into(), Amf0Value::Null),
            ("b".into(), Amf0Value::Null),
            ("c".into(), Amf0Value::Null),
        ])]);
        assert_eq!(
            decode_all(&bytes, limits),
            Err(Amf0Error::TooManyEntries(2))
        );

        // A strict array claiming four billion elements is refused before any allocation.
        let bytes = [STRICT_ARRAY, 0xFF, 0xFF, 0xFF, 0xFF];
        assert_eq!(
            decode_all(&bytes, Amf0Limits::default()),
            Err(Amf0Error::TooManyEntries(1024))
        );
    }

    #[test]
    fn truncated_and_unknown_input_is_refused() {
        let bytes = encode_all(&[Amf0Value::Object(vec![(
            "key".into(),
            Amf0Value::Number(2.0),
        )])]);
        for cut in 1..bytes.len() {
            assert_eq!(
                decode_all(&bytes[..cut], Amf0Limits::default()),
                Err(Amf0Error::Truncated),
                "cut at {cut}"
            );
        }
        assert_eq!(
            decode_all(&[0x11], Amf0Limits::default()),
            Err(Amf0Error::UnsupportedMarker(0x11))
        );
        assert_eq!(
            decode_all(&[0x09], Amf0Limits::default()),
            Err(Amf0Error::UnexpectedObjectEnd)
        );
    }
}
