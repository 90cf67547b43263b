//! The outcomes of a run, kept on disk while the run goes on.
//!
//! Each finished outcome becomes one compact JSON record appended to an anonymous temporary
//! file (the system deletes it when the last handle closes, even after a crash). Memory keeps
//! one 24-byte [`Slot`] per outcome, in plan order, so a run of any size is reported in bounded
//! memory: the writers read the records back one at a time, in plan order, whatever order the
//! cases finished in.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};

use super::error::StoreError;
use super::outcome::OutcomeReport;
use super::status::Status;

/// What memory keeps of one outcome: enough for counts, filters and JUnit's per-target sums
/// without reading the record.
#[derive(Debug, Clone, Copy)]
pub struct Slot {
    /// Where the record starts in the file.
    offset: u64,
    /// The record's length in bytes; 0 when the record was not kept.
    len: u32,
    /// Wall time of the case in milliseconds (saturated).
    pub duration_ms: u32,
    /// The outcome's position in the plan.
    pub plan_index: u32,
    /// The target's number; [`Outcomes::target_of`] names it.
    pub target: u16,
    /// The verdict with the baseline applied.
    pub status: Status,
}

impl Slot {
    /// True when the outcome's record can be read back.
    pub fn has_record(&self) -> bool {
        self.len > 0
    }
}

/// Appends records as outcomes arrive, in any order.
pub(crate) struct StoreWriter {
    file: BufWriter<File>,
    dir: Option<PathBuf>,
    pos: u64,
    buf: Vec<u8>,
    /// By plan index; `None` until that case finishes.
    slots: Vec<Option<Slot>>,
    /// The first write error; records after it are not kept.
    lost: Option<String>,
}

impl StoreWriter {
    /// A writer for a plan of `planned` outcomes, its file in `dir` (the system's temporary
    /// folder when `None` or when `dir` cannot hold one).
    pub(crate) fn new(planned: usize, dir: Option<&Path>) -> io::Result<StoreWriter> {
        let (file, dir) = anonymous_file(dir)?;
        let mut slots = Vec::new();
        slots.resize_with(planned, || None);
        Ok(StoreWriter {
            file: BufWriter::with_capacity(256 * 1024, file),
            dir,
            pos: 0,
            buf: Vec::with_capacity(16 * 1024),
            slots,
            lost: None,
        })
    }

    /// Records the outcome at `plan_index` on the target numbered `target` (see
    /// [`StoreWriter::finish`]); its record is written only when `keep` is true. A plan index
    /// past the planned length grows the plan (for outcomes built by hand).
    pub(crate) fn add(&mut self, plan_index: usize, target: usize, o: &OutcomeReport, keep: bool) {
        let (offset, len) = if keep && self.lost.is_none() {
            match self.write(o) {
                Ok(at) => at,
                Err(e) => {
                    self.lost = Some(e.to_string());
                    (0, 0)
                }
            }
        } else {
            (0, 0)
        };
        self.put(Slot {
            offset,
            len,
            duration_ms: u32::try_from(o.duration_ms).unwrap_or(u32::MAX),
            plan_index: u32::try_from(plan_index).unwrap_or(u32::MAX),
            target: u16::try_from(target).unwrap_or(u16::MAX),
            status: o.status,
        });
    }

    /// Puts a slot at its plan index.
    fn put(&mut self, slot: Slot) {
        let i = slot.plan_index as usize;
        if i >= self.slots.len() {
            self.slots.resize_with(i + 1, || None);
        }
        self.slots[i] = Some(slot);
    }

    fn write(&mut self, o: &OutcomeReport) -> io::Result<(u64, u32)> {
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, o)?;
        let len = u32::try_from(self.buf.len()).map_err(|_| StoreError::RecordTooLarge)?;
        self.file.write_all(&self.buf)?;
        let at = (self.pos, len);
        self.pos += u64::from(len);
        Ok(at)
    }

    /// The finished outcomes, in plan order; `targets` names the targets by the numbers given
    /// to [`StoreWriter::add`].
    pub(crate) fn finish(self, targets: Vec<String>) -> Store {
        let StoreWriter {
            file,
            dir,
            mut slots,
            mut lost,
            ..
        } = self;
        // In place: the finished slots reuse the plan's allocation (an `Option<Slot>` is as big
        // as a `Slot`), so that a big merge or run does not hold both at once.
        slots.retain(Option::is_some);
        let slots: Vec<Slot> = slots.into_iter().map_while(|s| s).collect();
        let file = match file.into_inner() {
            Ok(f) => Some(f),
            Err(e) => {
                lost.get_or_insert_with(|| e.error().to_string());
                None
            }
        };
        Store {
            file,
            dir,
            slots,
            targets,
            lost,
        }
    }
}

/// The finished outcomes of a run, readable in plan order.
#[derive(Debug)]
pub(crate) struct Store {
    file: Option<File>,
    dir: Option<PathBuf>,
    slots: Vec<Slot>,
    targets: Vec<String>,
    lost: Option<String>,
}

impl Store {
    fn lost(&self) -> Option<&str> {
        self.lost.as_deref()
    }

    fn read(&self, slot: &Slot) -> io::Result<OutcomeReport> {
        if !slot.has_record() {
            return Err(StoreError::NotKept(self.lost.clone()).into());
        }
        let file = self.file.as_ref().ok_or(StoreError::Gone)?;
        let mut buf = vec![0; slot.len as usize];
        read_exact_at(file, &mut buf, slot.offset)?;
        read_record(&buf)
    }
}

/// Reads one record back. serde_json refuses input nested deeper than 128 levels; a record
/// nests an answer's JSON (up to 128 levels, as parsed) a few levels down, inside a finding,
/// so the limit is lifted here. The depth stays bounded: every value in a record was parsed
/// with the limit (answers) or by the depth-limited YAML reader (specs and cases), and the record
/// was written by the same recursion that reads it.
fn read_record(buf: &[u8]) -> io::Result<OutcomeReport> {
    use serde::Deserialize;
    let mut de = serde_json::Deserializer::from_slice(buf);
    de.disable_recursion_limit();
    let o = OutcomeReport::deserialize(&mut de).map_err(io::Error::other)?;
    de.end().map_err(io::Error::other)?;
    Ok(o)
}

/// The outcomes of a report: every finished outcome in plan order, or a selection of them.
/// Cheap to clone; records are read from the store on demand.
#[derive(Debug, Clone)]
pub struct Outcomes {
    store: Arc<Store>,
    /// Indices into the store's slots; `None` for all of them.
    selection: Option<Arc<[u32]>>,
}

impl Outcomes {
    /// Every outcome of a finished store.
    pub(crate) fn new(store: Store) -> Outcomes {
        Outcomes {
            store: Arc::new(store),
            selection: None,
        }
    }

    /// Reads one outcome back.
    pub fn read(&self, slot: &Slot) -> io::Result<OutcomeReport> {
        self.store.read(slot)
    }

    /// Why some records could not be kept (a write to the temporary file failed), if so.
    pub fn lost(&self) -> Option<&str> {
        self.store.lost()
    }

    /// How many outcomes there are.
    pub fn len(&self) -> usize {
        match &self.selection {
            Some(s) => s.len(),
            None => self.store.slots.len(),
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The slots, in plan order.
    pub fn slots(&self) -> impl Iterator<Item = &Slot> + '_ {
        let all = &self.store.slots;
        (0..self.len()).map(move |k| match &self.selection {
            Some(s) => &all[s[k] as usize],
            None => &all[k],
        })
    }

    /// The target name of a slot.
    pub fn target_of(&self, slot: &Slot) -> &str {
        self.store
            .targets
            .get(usize::from(slot.target))
            .map_or("", String::as_str)
    }

    /// Reads every outcome, in plan order.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<OutcomeReport>> + '_ {
        self.slots().map(|s| self.store.read(s))
    }

    /// Reads the outcomes with a given status, in plan order.
    pub fn with_status(
        &self,
        status: Status,
    ) -> impl Iterator<Item = io::Result<OutcomeReport>> + '_ {
        self.filter_status(move |s| s == status)
    }

    /// Reads the outcomes whose status `keep` accepts, in plan order.
    pub fn filter_status(
        &self,
        keep: impl Fn(Status) -> bool + 'static,
    ) -> impl Iterator<Item = io::Result<OutcomeReport>> + '_ {
        self.slots()
            .filter(move |s| keep(s.status))
            .map(|s| self.store.read(s))
    }

    /// Reads the `i`-th outcome.
    pub fn get(&self, i: usize) -> io::Result<OutcomeReport> {
        let slot = self.slots().nth(i).ok_or(StoreError::NoOutcome(i))?;
        self.store.read(slot)
    }

    /// At most `max` outcomes: every one that is not a pass first, then passes, each group in
    /// plan order, and the result in plan order.
    pub fn capped(&self, max: usize) -> Outcomes {
        if self.len() <= max {
            return self.clone();
        }
        let indices: Vec<u32> = match &self.selection {
            Some(s) => s.to_vec(),
            None => (0..self.store.slots.len() as u32).collect(),
        };
        let slots = &self.store.slots;
        let mut chosen: Vec<u32> = indices
            .iter()
            .copied()
            .filter(|&i| slots[i as usize].status != Status::Pass)
            .take(max)
            .collect();
        let room = max - chosen.len();
        chosen.extend(
            indices
                .iter()
                .copied()
                .filter(|&i| slots[i as usize].status == Status::Pass)
                .take(room),
        );
        chosen.sort_unstable();
        Outcomes {
            store: self.store.clone(),
            selection: Some(chosen.into()),
        }
    }

    /// The same outcomes at the same plan indices, each record rewritten by `f`, in a new store
    /// next to this one; an outcome whose record was not kept stays without one.
    pub fn map(&self, mut f: impl FnMut(OutcomeReport) -> OutcomeReport) -> io::Result<Outcomes> {
        let planned = self.slots().map(|s| s.plan_index as usize + 1).max();
        let mut w = StoreWriter::new(planned.unwrap_or(0), self.store.dir.as_deref())?;
        for slot in self.slots() {
            if slot.has_record() {
                let o = f(self.store.read(slot)?);
                w.add(slot.plan_index as usize, usize::from(slot.target), &o, true);
            } else {
                w.put(*slot);
            }
        }
        if let Some(e) = &w.lost {
            return Err(StoreError::Lost(e.clone()).into());
        }
        Ok(Outcomes::new(w.finish(self.store.targets.clone())))
    }
}

/// `report.json`'s `outcomes`: written one record at a time as it is read back.
impl Serialize for Outcomes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for o in self.iter() {
            seq.serialize_element(&o.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}

/// An unnamed temporary file in `dir`, else in the system's temporary folder; and the folder
/// it is in.
fn anonymous_file(dir: Option<&Path>) -> io::Result<(File, Option<PathBuf>)> {
    if let Some(d) = dir
        && let Ok(f) = tempfile::tempfile_in(d)
    {
        return Ok((f, Some(d.to_path_buf())));
    }
    Ok((tempfile::tempfile()?, None))
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(f: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}
