// Shows an error in words: a headline, the detail, and each problem with the name of its field.

import { describeError } from '../words/error-words.js';

export function ErrorNotice({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  if (error === null || error === undefined) return null;
  const words = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">{words.title}</p>
      {words.detail !== null && <p>{words.detail}</p>}
      {words.problems.length > 0 && (
        <ul>
          {words.problems.map((p) => (
            <li key={`${p.path}:${p.message}`}>
              <strong>{p.field}:</strong> {p.message}
            </li>
          ))}
        </ul>
      )}
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
