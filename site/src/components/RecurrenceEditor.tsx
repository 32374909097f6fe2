import { DAY_NAMES, FREQUENCIES, FREQUENCY_WORDS, WEEKDAYS, type Frequency, type RecurrenceForm } from "../lib/recurrence.ts";

interface Props {
  /** Prefix for element ids, unique per editor on the page. */
  idPrefix: string;
  value: RecurrenceForm;
  onChange(next: RecurrenceForm): void;
}

/** Frequency, interval, days and end of a recurring task; the parent turns the form into an RRULE. */
export default function RecurrenceEditor({ idPrefix, value, onChange }: Props) {
  const set = (change: Partial<RecurrenceForm>) => onChange({ ...value, ...change });
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <fieldset class="recurrence">
      <legend>Repeat</legend>
      <p class="field inline">
        <label for={id("freq")}>Frequency</label>
        <select id={id("freq")} value={value.frequency} onChange={(e) => set({ frequency: e.currentTarget.value as Frequency })}>
          {FREQUENCIES.map((frequency) => (
            <option value={frequency}>{FREQUENCY_WORDS[frequency].name}</option>
          ))}
        </select>
        <label for={id("interval")}>Every</label>
        <input
          id={id("interval")}
          type="number"
          min={1}
          max={9999}
          value={value.interval}
          onInput={(e) => set({ interval: e.currentTarget.valueAsNumber })}
          class="narrow"
        />
        <span>{FREQUENCY_WORDS[value.frequency].many}</span>
      </p>
      {value.frequency === "WEEKLY" && (
        <fieldset class="weekdays">
          <legend>On days (none: the due date's day)</legend>
          {WEEKDAYS.map((day) => (
            <label class="chip-check">
              <input
                type="checkbox"
                checked={value.weekdays.includes(day)}
                onChange={(e) =>
                  set({ weekdays: e.currentTarget.checked ? [...value.weekdays, day] : value.weekdays.filter((other) => other !== day) })
                }
              />
              {DAY_NAMES[day]}
            </label>
          ))}
        </fieldset>
      )}
      {value.frequency === "MONTHLY" && (
        <p class="field inline">
          <label for={id("monthday")}>On day of month (empty: the due date's day)</label>
          <input
            id={id("monthday")}
            type="number"
            min={1}
            max={31}
            class="narrow"
            value={value.monthDay ?? ""}
            onInput={(e) => set({ monthDay: e.currentTarget.value === "" ? null : e.currentTarget.valueAsNumber })}
          />
        </p>
      )}
      <fieldset class="ends">
        <legend>Ends</legend>
        <label class="chip-check">
          <input type="radio" name={id("end")} checked={value.end.kind === "never"} onChange={() => set({ end: { kind: "never" } })} />
          Never
        </label>
        <label class="chip-check">
          <input
            type="radio"
            name={id("end")}
            checked={value.end.kind === "after"}
            onChange={() => set({ end: { kind: "after", count: 10 } })}
          />
          After
        </label>
        {value.end.kind === "after" && (
          <>
            <label for={id("count")} class="visually-hidden">
              Number of times
            </label>
            <input
              id={id("count")}
              type="number"
              min={1}
              class="narrow"
              value={value.end.count}
              onInput={(e) => set({ end: { kind: "after", count: e.currentTarget.valueAsNumber } })}
            />
            <span>times</span>
          </>
        )}
        <label class="chip-check">
          <input type="radio" name={id("end")} checked={value.end.kind === "on"} onChange={() => set({ end: { kind: "on", date: "" } })} />
          On date
        </label>
        {value.end.kind === "on" && (
          <>
            <label for={id("until")} class="visually-hidden">
              Last date
            </label>
            <input id={id("until")} type="date" value={value.end.date} onInput={(e) => set({ end: { kind: "on", date: e.currentTarget.value } })} />
          </>
        )}
      </fieldset>
    </fieldset>
  );
}
