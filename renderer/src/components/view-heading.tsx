// A view's title. It takes focus when the view opens, so keyboard and screen-reader users start at the
// top of the new content instead of somewhere in the old one.

import { useEffect, useRef, type ReactNode } from 'react';

export function ViewHeading({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <div className="view-heading">
      <h1 ref={heading} tabIndex={-1}>{children}</h1>
      {actions !== undefined && <div className="view-actions">{actions}</div>}
    </div>
  );
}
