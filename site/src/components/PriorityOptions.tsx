import type { Priority } from "../lib/api.ts";

// A label for each of the server's priorities, highest first (the type makes a new priority a compile error here).
const LABELS: Record<Priority, string> = { high: "High", medium: "Medium", low: "Low", none: "None" };
const PRIORITIES = Object.entries(LABELS) as [Priority, string][];

/**
 * The <option>s of a priority select, highest first. `selected` marks the
 * initial choice of an uncontrolled select (Preact has no defaultValue there).
 */
export default function PriorityOptions({ selected }: { selected?: Priority }) {
  return (
    <>
      {PRIORITIES.map(([value, text]) => (
        <option value={value} selected={value === selected}>
          {text}
        </option>
      ))}
    </>
  );
}
