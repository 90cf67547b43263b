//! Readings: where a vendor page allows several readings, the emulator follows one and can be
//! told to follow another.
//!
//! A reading is not a deviation. A [`Deviation`](super::Deviation) breaks a documented rule on
//! purpose, to prove the suite notices; a reading is one of several behaviours that the public
//! evidence allows, and a target that follows any of them conforms. The specs list the readings
//! of an ambiguous page on its doc note (`readings:`, `emulator:`); the emulator does not read
//! the specs (it is an independent implementation), so this module keeps its own table of the
//! notes it knows, by the same note and reading ids. `tests/it/readings.rs` checks the table
//! against `specs/`.
//!
//! `specgate serve --reading NOTE=ID` and `specgate run --emulator-reading NOTE=ID` switch a
//! note to another reading; `specgate serve --list-readings` prints the table.

use crate::diag::did_you_mean;

/// ListKeys PageSize 101: `refused` (1 to 100) or `accepted` (1 to 101).
pub const PAGE_SIZE_101: &str = "page-size-101";
/// ListKeys Filters with a Key the service does not know: `refused`, or the pair `ignored`.
pub const FILTERS_UNKNOWN_KEY: &str = "filters-unknown-key";
/// Huawei alias-API names (CreateAlias `alias`): the `alias/` prefix `required`, or `optional`.
pub const ALIAS_PREFIX: &str = "alias-prefix";
/// Alibaba RPC answers to a request without `Format` (and no `accept` that asks for one): `json`
/// or `xml`.
pub const FORMAT_DEFAULT: &str = "format-default";

/// One reading of a note, and what the emulator does under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownReading {
    /// The reading's id, as in the spec's doc note.
    pub id: &'static str,
    /// What the emulator does under this reading.
    pub behaviour: &'static str,
}

/// A doc note whose readings the emulator implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownNote {
    /// The service whose spec holds the note.
    pub service: &'static str,
    /// The operations whose behaviour the reading changes.
    pub operations: &'static [&'static str],
    /// The doc note's id.
    pub note: &'static str,
    /// Every reading, in the spec's order.
    pub readings: &'static [KnownReading],
    /// The reading followed when none is chosen.
    pub default: &'static str,
}

/// Every note the emulator knows.
pub const NOTES: &[KnownNote] = &[
    KnownNote {
        service: "alibaba-kms",
        operations: &["ListKeys"],
        note: PAGE_SIZE_101,
        readings: &[
            KnownReading {
                id: "refused",
                behaviour: "PageSize is 1 to 100: 101 is 400 InvalidParameter",
            },
            KnownReading {
                id: "accepted",
                behaviour: "PageSize is 1 to 101: 101 is accepted",
            },
        ],
        default: "refused",
    },
    KnownNote {
        service: "alibaba-kms",
        operations: &["ListKeys"],
        note: FILTERS_UNKNOWN_KEY,
        readings: &[
            KnownReading {
                id: "refused",
                behaviour: "a Filters pair whose Key is not a known key is 400 InvalidParameter",
            },
            KnownReading {
                id: "ignored",
                behaviour: "a Filters pair whose Key is not a known key is ignored",
            },
        ],
        default: "refused",
    },
    KnownNote {
        service: "huawei-kms",
        operations: &["CreateAlias"],
        note: ALIAS_PREFIX,
        readings: &[
            KnownReading {
                id: "required",
                behaviour: "a CreateAlias name must start with alias/: others are 400 KMS.1101",
            },
            KnownReading {
                id: "optional",
                behaviour: "alias names with and without the alias/ prefix are accepted",
            },
        ],
        default: "optional",
    },
    KnownNote {
        service: "alibaba-kms",
        operations: &["ListKeys", "ListAliasesByKeyId", "ListKeyVersions"],
        note: FORMAT_DEFAULT,
        readings: &[
            KnownReading {
                id: "json",
                behaviour: "a request without Format is answered in JSON",
            },
            KnownReading {
                id: "xml",
                behaviour: "a request without Format is answered in XML, unless its accept header asks for JSON first",
            },
        ],
        default: "json",
    },
];

/// The note with this id.
pub fn known_note(note: &str) -> Option<&'static KnownNote> {
    NOTES.iter().find(|n| n.note == note)
}

/// A choice of `--reading NOTE=ID`, checked against [`NOTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingChoice {
    /// The doc note's id.
    pub note: &'static str,
    /// The reading to follow.
    pub reading: &'static str,
}

/// Why a `--reading` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnknownReading {
    /// Not `NOTE=ID`.
    #[error("`{0}` is not NOTE=ID (e.g. {PAGE_SIZE_101}=accepted); see --list-readings")]
    Malformed(String),
    /// No note of that id.
    #[error("the emulator knows no doc note `{note}`{hint}")]
    Note {
        /// The id given.
        note: String,
        /// `; did you mean ...?` and the known notes.
        hint: String,
    },
    /// The note has no reading of that id.
    #[error("doc note `{note}` has no reading `{reading}`{hint}")]
    Reading {
        /// The note.
        note: String,
        /// The reading given.
        reading: String,
        /// `; did you mean ...?` and the note's readings.
        hint: String,
    },
}

/// Parses `NOTE=ID`; an unknown note or reading names the closest one and lists the valid ones.
pub fn parse_reading_choice(raw: &str) -> Result<ReadingChoice, UnknownReading> {
    let Some((note, reading)) = raw.split_once('=') else {
        return Err(UnknownReading::Malformed(raw.to_string()));
    };
    let (note, reading) = (note.trim(), reading.trim());
    let Some(known) = known_note(note) else {
        let ids = NOTES.iter().map(|n| n.note);
        return Err(UnknownReading::Note {
            note: note.to_string(),
            hint: hint(note, ids),
        });
    };
    let Some(r) = known.readings.iter().find(|r| r.id == reading) else {
        return Err(UnknownReading::Reading {
            note: note.to_string(),
            reading: reading.to_string(),
            hint: hint(reading, known.readings.iter().map(|r| r.id)),
        });
    };
    Ok(ReadingChoice {
        note: known.note,
        reading: r.id,
    })
}

/// `; did you mean `x`? (one of: a, b)` or `; use one of: a, b`.
fn hint<'a>(word: &str, ids: impl Iterator<Item = &'a str> + Clone) -> String {
    let all: Vec<&str> = ids.clone().collect();
    match did_you_mean(word, ids) {
        Some(best) => format!("; did you mean `{best}`? (one of: {})", all.join(", ")),
        None => format!("; use one of: {}", all.join(", ")),
    }
}

/// The readings one emulator instance follows: each note's default unless chosen otherwise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    /// The choices, latest last; a later choice of the same note wins.
    chosen: Vec<ReadingChoice>,
}

impl Readings {
    /// Follows `choice` from now on.
    pub fn choose(&mut self, choice: &ReadingChoice) {
        self.chosen.retain(|c| c.note != choice.note);
        self.chosen.push(*choice);
    }

    /// The reading followed for `note` (its default unless chosen); empty for an unknown note.
    pub fn follows(&self, note: &str) -> &'static str {
        match self.chosen.iter().find(|c| c.note == note) {
            Some(c) => c.reading,
            None => known_note(note).map_or("", |n| n.default),
        }
    }

    /// True when `note` follows reading `id`.
    pub fn is(&self, note: &str, id: &str) -> bool {
        self.follows(note) == id
    }

    /// The choices that differ from the defaults, as `NOTE=ID`.
    pub fn changed(&self) -> Vec<String> {
        self.chosen
            .iter()
            .filter(|c| known_note(c.note).is_some_and(|n| n.default != c.reading))
            .map(|c| format!("{}={}", c.note, c.reading))
            .collect()
    }
}

/// `--list-readings`: every note, its readings, and which one is the default.
pub fn listing() -> String {
    let mut out = String::new();
    for n in NOTES {
        out.push_str(&format!(
            "{} ({}: {})\n",
            n.note,
            n.service,
            n.operations.join(", ")
        ));
        for r in n.readings {
            out.push_str(&format!(
                "  {}={}{}  {}\n",
                n.note,
                r.id,
                if r.id == n.default { " (default)" } else { "" },
                r.behaviour
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_has_two_readings_and_a_default_among_them() {
        for n in NOTES {
            assert!(n.readings.len() >= 2, "{}", n.note);
            assert!(n.readings.iter().any(|r| r.id == n.default), "{}", n.note);
        }
    }

    #[test]
    fn choices_parse_and_unknown_ones_suggest_the_closest() {
        let c = parse_reading_choice("page-size-101=accepted").expect("valid");
        assert_eq!((c.note, c.reading), (PAGE_SIZE_101, "accepted"));
        let e = parse_reading_choice("page-size-100=accepted")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no doc note `page-size-100`"), "{e}");
        assert!(e.contains("did you mean `page-size-101`"), "{e}");
        let e = parse_reading_choice("alias-prefix=c")
            .unwrap_err()
            .to_string();
        assert!(e.contains("has no reading `c`"), "{e}");
        assert!(e.contains("required, optional"), "{e}");
        assert!(matches!(
            parse_reading_choice("alias-prefix"),
            Err(UnknownReading::Malformed(_))
        ));
    }

    #[test]
    fn a_choice_replaces_the_default_and_the_latest_wins() {
        let mut r = Readings::default();
        assert!(r.is(PAGE_SIZE_101, "refused"));
        assert!(r.is(ALIAS_PREFIX, "optional"));
        r.choose(&parse_reading_choice("page-size-101=accepted").unwrap());
        assert!(r.is(PAGE_SIZE_101, "accepted"));
        assert_eq!(r.changed(), vec!["page-size-101=accepted".to_string()]);
        r.choose(&parse_reading_choice("page-size-101=refused").unwrap());
        assert!(r.is(PAGE_SIZE_101, "refused"));
        assert!(r.changed().is_empty());
        assert_eq!(r.follows("no-such-note"), "");
    }
}
