// A view's title. It takes focus when the user moves to the view, so keyboard and screen-reader users
// start at the top of the new content instead of somewhere in the old one; a freshly opened page keeps
// the browser's own start, where the skip link comes first.

import { useEffect, useRef, type ReactNode } from 'react';
import { hasNavigated } from '../state/router.js';

export function ViewHeading({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (hasNavigated()) heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="view-heading">
      <h1 ref={heading} tabIndex={-1}>{children}</h1>
      {actions !== undefined && <div className="view-actions">{actions}</div>}
    </div>
  );
}
