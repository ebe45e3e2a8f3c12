/**
 * The project templates: files in the repository under templates/<language>/, each ending in
 * `.tmpl` (so no tool mistakes them for the repository's own code, and no chaincode detection finds
 * them). A template's text names values as `{{name}}`; its path as `__name__`; a file name starting
 * with `_` starts with `.` in the project (`_gitignore` → `.gitignore`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { ScaffoldError } from './errors';

const SUFFIX = '.tmpl';

/**
 * Where the templates are: beside this module once compiled (scripts/copy-assets.js copies them
 * to out/), or `scaffold-templates` beside the extension's bundle (scripts/bundle.js).
 */
export function templatesRoot(): string {
  const candidates = [path.join(__dirname, 'templates'), path.join(__dirname, 'scaffold-templates')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new ScaffoldError(`the project templates are missing (looked in ${candidates.join(', ')}): reinstall Chaincode Launcher`);
  return found;
}

export interface RenderedFile {
  /** Relative to the project folder, with `/` separators. */
  readonly path: string;
  readonly content: string;
}

function substitute(text: string, pattern: RegExp, values: Readonly<Record<string, string>>, where: string): string {
  return text.replace(pattern, (_m, key: string) => {
    const value = values[key];
    if (value === undefined) throw new ScaffoldError(`template ${where} names an unknown value ${JSON.stringify(key)}`);
    return value;
  });
}

function projectPath(templatePath: string, values: Readonly<Record<string, string>>): string {
  const parts = templatePath.slice(0, -SUFFIX.length).split('/');
  const file = parts.pop() ?? '';
  parts.push(file.startsWith('_') && !file.startsWith('__') ? `.${file.slice(1)}` : file);
  return substitute(parts.join('/'), /__([A-Za-z]+)__/g, values, templatePath);
}

/** Every template under `dir`, rendered with `values`, sorted by path. Reads only. */
export function renderTemplates(dir: string, values: Readonly<Record<string, string>>): RenderedFile[] {
  const out: RenderedFile[] = [];
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(childRel);
      else if (entry.name.endsWith(SUFFIX)) {
        const text = fs.readFileSync(path.join(dir, childRel), 'utf8');
        out.push({ path: projectPath(childRel, values), content: substitute(text, /\{\{([A-Za-z]+)\}\}/g, values, childRel) });
      }
    }
  };
  walk('');
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
