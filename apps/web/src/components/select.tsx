import { useId, type ReactNode } from 'react';

/**
 * A labelled <select>. The label is tied by id rather than wrapped around the select, so its
 * accessible name is the label alone (a wrapping label would also carry every option's text).
 */
export function Select({
  label,
  value,
  onChange,
  children,
  hideLabel = false,
  className,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
  hideLabel?: boolean;
  className?: string;
}) {
  const id = useId();
  return (
    <span className={`field ${className ?? ''}`}>
      <label htmlFor={id} className={hideLabel ? 'sr-only' : undefined}>
        {label}
      </label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </span>
  );
}
