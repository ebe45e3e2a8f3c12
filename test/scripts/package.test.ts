import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { describe, it } from 'node:test';

const REPO = path.join(__dirname, '..', '..', '..');
// scripts/package.js is plain JavaScript run by `npm run package`; its README step is a pure function.
const { packageReadme } = require(path.join(REPO, 'scripts', 'package.js')) as { packageReadme: (markdown: string) => string };

describe('the README the .vsix carries (scripts/package.js)', () => {
  it('inlines a relative PNG as a data: URI of the file (VS Code shows only https: and data: images in an installed README)', () => {
    const out = packageReadme('Intro\n\n![The icon](media/icon.png)\n');
    const icon = fs.readFileSync(path.join(REPO, 'media', 'icon.png')).toString('base64');
    assert.strictEqual(out, `Intro\n\n![The icon](data:image/png;base64,${icon})\n`);
  });

  it('leaves https images, web links and anchors as they are', () => {
    const md = '![badge](https://example.org/b.png) [site](https://example.org) [below](#settings) <https://example.org>\n';
    assert.strictEqual(packageReadme(md), md);
  });

  it('refuses a relative SVG (vsce and VS Code refuse SVG data URIs) and an image that does not exist', () => {
    assert.throws(() => packageReadme('![logo](media/icon.svg)'), /cannot be inlined.*use a PNG/);
    assert.throws(() => packageReadme('![gone](media/nothing-here.png)'), /does not exist/);
  });

  it('refuses a relative link, which would be broken in the installed extension', () => {
    assert.throws(() => packageReadme('See [the design](docs/design.md).'), /relative links would be broken.*docs\/design\.md/);
    assert.throws(() => packageReadme('<img src="media/icon.png">'), /relative links would be broken.*media\/icon\.png/);
  });

  it("turns every image of the project's README into a data: URI", () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const images = readme.match(/!\[[^\]]*\]\([^)]+\)/g) ?? [];
    assert.ok(images.length > 0, 'the README has images');
    const inlined = packageReadme(readme).match(/!\[[^\]]*\]\(data:image\/png;base64,[A-Za-z0-9+/=]+\)/g) ?? [];
    assert.strictEqual(inlined.length, images.length);
  });
});
