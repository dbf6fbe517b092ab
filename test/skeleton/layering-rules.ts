// The dependency rules of DESIGN.md §2 and a scanner that lists every import breaking them.
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative, forward slashes: "main/io/irp.ts". */
  readonly path: string;
  readonly text: string;
}

export interface Violation {
  readonly file: string;
  readonly specifier: string;
  readonly line: number;
  readonly rule: string;
}

type Target =
  | { kind: 'builtin'; name: string }
  | { kind: 'package'; name: string }
  | { kind: 'project'; area: string; path: string };

/** The folder a file belongs to for layering: main/<x>, filters/<name>, app, renderer, test, bench... */
export function areaOf(repoPath: string): string {
  const [top, sub] = repoPath.split('/');
  if ((top === 'main' || top === 'filters') && sub !== undefined && repoPath.split('/').length > 2) return `${top}/${sub}`;
  return top ?? '';
}

const BUILTINS = new Set(builtinModules);

function classify(fromFile: string, specifier: string): Target {
  if (specifier.startsWith('node:')) return { kind: 'builtin', name: specifier };
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
    return { kind: 'project', area: resolved.startsWith('../') ? '(outside the repository)' : areaOf(resolved), path: resolved };
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  if (BUILTINS.has(name) || BUILTINS.has(specifier)) return { kind: 'builtin', name: specifier };
  return { kind: 'package', name };
}

interface Rule {
  readonly name: string;
  /** Returns true when `target`, imported from a file in `area`, breaks the rule. */
  readonly breaks: (area: string, target: Target) => boolean;
}

const isFilter = (area: string): boolean => area.startsWith('filters/');
const projectOutside = (target: Target, allowed: (area: string) => boolean): boolean =>
  target.kind === 'project' && !allowed(target.area);

export const RULES: readonly Rule[] = [
  {
    name: 'main/io imports nothing outside main/io (no Node built-ins, no packages)',
    breaks: (area, t) => area === 'main/io' && (t.kind !== 'project' || t.area !== 'main/io'),
  },
  {
    name: 'main/api imports no Node built-ins',
    breaks: (area, t) => area === 'main/api' && t.kind === 'builtin',
  },
  {
    name: 'main/fltmgr imports only main/io from the project',
    breaks: (area, t) => area === 'main/fltmgr' && projectOutside(t, (a) => a === 'main/io' || a === 'main/fltmgr'),
  },
  {
    name: 'filters/<name> imports only main/io, main/fltmgr, main/store, main/age and its own folder from the project',
    breaks: (area, t) =>
      isFilter(area) &&
      projectOutside(t, (a) => a === area || a === 'main/io' || a === 'main/fltmgr' || a === 'main/store' || a === 'main/age'),
  },
  {
    name: 'main/age (the age format library) imports no Node built-ins and nothing else of the project',
    breaks: (area, t) => area === 'main/age' && (t.kind === 'builtin' || projectOutside(t, (a) => a === 'main/age')),
  },
  {
    name: 'main/age is imported only by filters/*, main/agent and main/cli (and tests and benchmarks)',
    breaks: (area, t) =>
      t.kind === 'project' && t.area === 'main/age' && area !== 'main/age' &&
      !(isFilter(area) || area === 'main/agent' || area === 'main/cli' || area === 'test' || area === 'bench'),
  },
  {
    name: 'renderer imports only main/api from the project, and no Node built-ins',
    breaks: (area, t) =>
      area === 'renderer' && (t.kind === 'builtin' || projectOutside(t, (a) => a === 'renderer' || a === 'main/api')),
  },
  {
    name: 'nothing outside app/ imports electron',
    breaks: (area, t) => area !== 'app' && t.kind === 'package' && t.name === 'electron',
  },
  {
    name: 'main/agent is not imported by main/io, main/fltmgr, main/volumes or filters',
    breaks: (area, t) =>
      (area === 'main/io' || area === 'main/fltmgr' || area === 'main/volumes' || isFilter(area)) &&
      t.kind === 'project' &&
      t.area === 'main/agent',
  },
  {
    name: 'app/ and main/cli sit on top: only tests import them from elsewhere',
    breaks: (area, t) =>
      area !== 'test' && t.kind === 'project' && (t.area === 'app' || t.area === 'main/cli') && t.area !== area,
  },
];

/** Every module specifier a file refers to: import/export from, import(), require(), import("x").T. */
export function moduleSpecifiers(file: SourceFile): Array<{ specifier: string; line: number }> {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const found: Array<{ specifier: string; line: number }> = [];
  const add = (node: ts.Node | undefined): void => {
    if (node && ts.isStringLiteralLike(node)) {
      found.push({ specifier: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) add(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (isDynamicImport || isRequire) add(node.arguments[0]);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function findViolations(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const area = areaOf(file.path);
    for (const { specifier, line } of moduleSpecifiers(file)) {
      const target = classify(file.path, specifier);
      for (const rule of RULES) {
        if (rule.breaks(area, target)) violations.push({ file: file.path, specifier, line, rule: rule.name });
      }
    }
  }
  return violations;
}
