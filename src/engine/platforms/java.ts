/**
 * Java chaincode, run as `java -jar` on an uber jar. A jar already built in target/ (Maven) or
 * build/libs/ (Gradle) is used as is: building inside the image needs Maven Central. Otherwise the
 * image's Maven or Gradle builds it in a builder stage.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { collectPackage, fileEntry } from './packaging';
import { fabricLabels, resolveBaseImages, type BuildPlan, type Platform, type PlatformOptions } from './types';

export const JAVA_JAR_PATH = '/root/chaincode-java/chaincode.jar';
/** Jars that are never the runnable one. */
const NOT_RUNNABLE = /(^original-|-sources\.jar$|-javadoc\.jar$|-tests?\.jar$|-plain\.jar$)/;
/** Names the usual uber-jar plugins give (shade, assembly, shadow). */
const UBER = /(-all|-with-dependencies|-shaded|-uber)\.jar$|^chaincode\.jar$/;

export type JavaBuild = { readonly kind: 'prebuilt'; readonly jar: string } | { readonly kind: 'maven' | 'gradle'; readonly command: string; readonly outputDir: string };

export function javaDockerfile(baseImage: string, build: JavaBuild): string {
  if (build.kind === 'prebuilt') {
    return [`FROM ${baseImage}`, `COPY src/chaincode.jar ${JAVA_JAR_PATH}`, ''].join('\n');
  }
  const dir = build.outputDir;
  // Same preference as for prebuilt jars: an uber jar by its usual names, else the one plain jar.
  const pick =
    `jar=$(ls ${dir}/*-all.jar ${dir}/*-with-dependencies.jar ${dir}/*-shaded.jar 2>/dev/null | head -n 1); ` +
    `[ -n "$jar" ] || jar=$(ls ${dir}/*.jar | grep -v -e '/original-' -e '-sources.jar' -e '-javadoc.jar' -e '-plain.jar' | head -n 1); ` +
    `mkdir -p /chaincode/output && cp "$jar" /chaincode/output/chaincode.jar`;
  return [
    `FROM ${baseImage} AS builder`,
    'COPY src/ /chaincode/input/src/',
    'WORKDIR /chaincode/input/src',
    `RUN ${build.command} && ${pick}`,
    `FROM ${baseImage}`,
    `COPY --from=builder /chaincode/output/chaincode.jar ${JAVA_JAR_PATH}`,
    '',
  ].join('\n');
}

/** The runnable jar among prebuilt ones, or undefined when there is none. */
export async function findPrebuiltJar(dir: string): Promise<string | undefined> {
  for (const sub of ['target', path.join('build', 'libs')]) {
    const names = await readdir(path.join(dir, sub)).catch(() => [] as string[]);
    const jars = names.filter((n) => n.endsWith('.jar') && !NOT_RUNNABLE.test(n)).sort();
    if (jars.length === 0) continue;
    if (jars.length === 1) return path.join(dir, sub, jars[0]);
    const uber = jars.filter((n) => UBER.test(n));
    if (uber.length === 1) return path.join(dir, sub, uber[0]);
    throw new Error(`several jars in ${path.join(dir, sub)} (${jars.join(', ')}): cannot tell which one runs the chaincode`);
  }
  return undefined;
}

export const javaPlatform: Platform = {
  language: 'java',

  chaincodeArgs(peerAddress: string, extraArgs: readonly string[] = []): string[] {
    return ['java', '-jar', JAVA_JAR_PATH, '--peerAddress', peerAddress, ...extraArgs];
  },

  async plan(dir: string, options?: PlatformOptions): Promise<BuildPlan> {
    const baseImage = resolveBaseImages(options).java;
    const jar = await findPrebuiltJar(dir);
    if (jar) {
      const entries = [await fileEntry('chaincode.jar', jar)];
      return { entries, dockerfile: javaDockerfile(baseImage, { kind: 'prebuilt', jar }), labels: fabricLabels('JAVA'), baseImages: [baseImage] };
    }
    const entries = await collectPackage(dir, { ignoreFiles: ['.gitignore'] });
    const packaged = new Set(entries.map((e) => e.path));
    let build: JavaBuild;
    if (packaged.has('pom.xml')) {
      const mvn = packaged.has('mvnw') ? './mvnw' : 'mvn';
      build = { kind: 'maven', command: `${mvn} -B -q -DskipTests package`, outputDir: 'target' };
    } else {
      const file = packaged.has('build.gradle.kts') ? 'build.gradle.kts' : 'build.gradle';
      if (!packaged.has(file)) throw new Error(`${dir} has no pom.xml, build.gradle or prebuilt jar: not a Java chaincode`);
      const script = await readFile(path.join(dir, file), 'utf8');
      const gradle = packaged.has('gradlew') ? './gradlew' : 'gradle';
      const task = /shadow/i.test(script) ? 'shadowJar' : 'jar';
      build = { kind: 'gradle', command: `${gradle} --no-daemon -q ${task}`, outputDir: 'build/libs' };
    }
    return { entries, dockerfile: javaDockerfile(baseImage, build), labels: fabricLabels('JAVA'), baseImages: [baseImage] };
  },
};
