/**
 * The redaction service: the pure rules of redaction.ts plus the names of people known to the system,
 * loaded from the sources the container wires in (users' display names, accountable leads in the directory,
 * reporters' names from the identity escrow). Used by the public register before moderation and reusable by
 * any module that publishes text people typed (consultation responses).
 */
import {
  applyRedactions,
  compileNames,
  redactText,
  type NameIndex,
  type RedactionResult,
  type RedactionSpan,
} from './redaction.ts';

/** A repository function returning people's names (duplicates, blanks and nulls are fine). */
export type KnownNamesSource = () => Promise<readonly (string | null)[]>;

export interface RedactRequest {
  /** Organisation names to remove (e.g. the reporter's organisation, for one case). */
  organisations?: readonly (string | null | undefined)[];
  /** Personal names to remove besides the known ones (e.g. the reporter's name, for one case). */
  names?: readonly (string | null | undefined)[];
}

/** Redacts many texts against one snapshot of the known names. */
export interface Redactor {
  redact(text: string, request?: RedactRequest): RedactionResult;
}

function clean(values: readonly (string | null | undefined)[] | undefined): string[] {
  return (values ?? []).filter((v): v is string => typeof v === 'string' && v.trim().length > 0);
}

export function createRedactor(names: NameIndex): Redactor {
  return {
    redact(text, request = {}) {
      return redactText(text, {
        names,
        extraNames: clean(request.names),
        organisations: clean(request.organisations),
      });
    },
  };
}

export function createRedactionService(deps: {
  knownNames: readonly KnownNamesSource[];
  /** Organisation names removed wherever they appear as a whole phrase (e.g. reporters' organisations). */
  knownOrganisations?: readonly KnownNamesSource[];
}) {
  return {
    /** Loads the known names once; use the returned redactor for every text of one batch. */
    async prepare(): Promise<Redactor> {
      const [names, organisations] = await Promise.all([
        Promise.all(deps.knownNames.map((source) => source())),
        Promise.all((deps.knownOrganisations ?? []).map((source) => source())),
      ]);
      return createRedactor(compileNames(clean(names.flat()), clean(organisations.flat())));
    },

    /** Redacts one text (loads the names each time; prefer `prepare` for several). */
    async redact(text: string, request?: RedactRequest): Promise<RedactionResult> {
      return (await this.prepare()).redact(text, request);
    },

    /** Rebuilds published text from the original and the spans a moderator kept or added. */
    apply(original: string, spans: readonly RedactionSpan[]): string {
      return applyRedactions(original, spans);
    },
  };
}

export type RedactionService = ReturnType<typeof createRedactionService>;
