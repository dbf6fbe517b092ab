// The dry-run diff of a policy import: every change with its item, field, and the values before and
// after, plus warnings that do not stop the import.

import type { ImportPolicyResult } from '../../../main/api/index.js';
import { describeChange } from '../state/policy-file.js';
import { fieldLabel } from '../words/field-labels.js';

export function PolicyDiff({ result }: { result: ImportPolicyResult }) {
  return (
    <>
      {result.changes.length === 0 ? (
        <p>The file matches Strata's current policy: nothing would change.</p>
      ) : (
        <div className="table-scroll">
          <table className="diff">
            <caption className="visually-hidden">Changes the import would make</caption>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Setting</th>
                <th scope="col">Now</th>
                <th scope="col">After import</th>
              </tr>
            </thead>
            <tbody>
              {result.changes.map((change, index) => {
                const words = describeChange(change);
                return (
                  <tr key={index} className={`diff-${change.op}`}>
                    <td>{words.summary}</td>
                    <td>{words.field ?? '—'}</td>
                    <td className="value">{words.before}</td>
                    <td className="value">{words.after}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {result.warnings.length > 0 && (
        <div className="notice notice-warn">
          <p className="notice-title">Worth knowing</p>
          <ul>
            {result.warnings.map((w) => <li key={`${w.path}:${w.message}`}><strong>{fieldLabel(w.path)}:</strong> {w.message}</li>)}
          </ul>
        </div>
      )}
    </>
  );
}
