import type { Priority } from "../lib/api.ts";

const PRIORITIES: [Priority, string][] = [
  ["high", "High"],
  ["medium", "Medium"],
  ["low", "Low"],
  ["none", "None"],
];

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
