// The runbook journal: every state transition is written before and after
// it runs, under the fencing epoch, so a controller that crashes halfway
// resumes from the last durable entry instead of repeating a non-idempotent
// step (a second FailoverGlobalCluster) or skipping the verify.

export type JournalPhase = "started" | "before" | "after" | "failed" | "finished";

export interface JournalEntry {
  /** The incident (and execution name) this runbook run belongs to. */
  incidentId: string;
  /** Fencing epoch under which the step ran. */
  epoch: number;
  /** Monotonic per incident, starting at 0. */
  seq: number;
  /** Runbook name (failover, switchover, failback). */
  runbook: string;
  /** ASL state name; empty for started/finished. */
  state: string;
  phase: JournalPhase;
  atMs: number;
  input?: unknown;
  output?: unknown;
  error?: { name: string; message: string };
}

export interface Journal {
  /** Durable append; must reject a duplicate (incidentId, seq). */
  append(entry: JournalEntry): Promise<void>;
  /** Entries of one incident, in seq order. */
  read(incidentId: string): Promise<JournalEntry[]>;
}

/** In-memory journal for tests and the local sandbox. */
export class MemoryJournal implements Journal {
  private readonly entries = new Map<string, JournalEntry[]>();

  append(entry: JournalEntry): Promise<void> {
    const list = this.entries.get(entry.incidentId) ?? [];
    if (list.some((e) => e.seq === entry.seq)) {
      return Promise.reject(new Error(`journal entry ${entry.incidentId}#${entry.seq} already exists`));
    }
    list.push(structuredClone(entry));
    this.entries.set(entry.incidentId, list);
    return Promise.resolve();
  }

  read(incidentId: string): Promise<JournalEntry[]> {
    const list = this.entries.get(incidentId) ?? [];
    return Promise.resolve(structuredClone(list).sort((a, b) => a.seq - b.seq));
  }
}
