// The control table layout (one table, string keys pk/sk):
//
//   pk = "control#<app>"        sk = "lease"            the lease and control record:
//        owner (S), epoch (N, only ever incremented), expiresAt (N, ms),
//        activeRegion (S), lastFailoverAtMs (N), incidentId (S), fencedAt (N),
//        retryIncidentId (S: an incident whose failed run the next holder retries),
//        replacedRegion (S: the active region the last runbook moved away from)
//   pk = "views#<app>"          sk = "<observer region>" view (S, JSON HealthView), atMs (N)
//   pk = "incident#<app>"       sk = "<incident id>"     incident (S, JSON Incident)
//   pk = "journal#<incident>"   sk = "entry#<seq, 8 digits>"  entry (S, JSON JournalEntry)
//
// The runbooks fence every mutating step on the control record with
// `ConditionExpression: epoch = :epoch`, so this shape is shared with them.

export const controlKey = (app: string) => ({ pk: `control#${app}`, sk: "lease" });
export const viewsPk = (app: string) => `views#${app}`;
export const incidentsPk = (app: string) => `incident#${app}`;
export const journalPk = (incidentId: string) => `journal#${incidentId}`;
export const journalSk = (seq: number) => `entry#${String(seq).padStart(8, "0")}`;
