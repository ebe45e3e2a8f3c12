/**
 * The relay in front of a served chaincode, with real sockets: it forwards bytes both ways, reports
 * each connection while it is open, closes a connection the upstream keeps half-open (an HTTP/2
 * server does), says why when the chaincode's server is not there, and refuses an address in use.
 */
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { after, describe, test } from 'node:test';
import { ConnectionRelay, checkTlsMaterial, formatHostPort, parseHostPort, type RelayEvent } from '../../../src/engine/ccaas/connectionRelay';
import { createCertificateAuthority, issueCertificate } from '../../../src/engine/crypto/certificates';
import { waitUntil } from '../../support/netChaincode';

const LOOPBACK_ANY_PORT = { host: '127.0.0.1', port: 0 };

/** An upstream that echoes in upper case and, like an HTTP/2 server, never closes a half-closed connection. */
async function upperCaseServer(): Promise<{ server: net.Server; address: { host: string; port: number }; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('data', (d: Buffer) => socket.write(d.toString().toUpperCase()));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const close = (): Promise<void> => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(() => r()));
  };
  return { server, address: { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port }, close };
}

function collect(relay: ConnectionRelay): RelayEvent[] {
  const events: RelayEvent[] = [];
  relay.onEvent((e) => events.push(e));
  return events;
}

function exchange(socket: net.Socket, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('data', (d: Buffer) => resolve(d.toString()));
    socket.once('error', reject);
    socket.write(text);
  });
}

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

describe('HOST:PORT', () => {
  test('parses names, IPv4 and bracketed IPv6, and refuses the rest', () => {
    assert.deepEqual(parseHostPort('0.0.0.0:9999'), { host: '0.0.0.0', port: 9999 });
    assert.deepEqual(parseHostPort('[::1]:7000'), { host: '::1', port: 7000 });
    assert.deepEqual(parseHostPort('cc.example.com:0'), { host: 'cc.example.com', port: 0 });
    assert.equal(formatHostPort({ host: '::1', port: 7000 }), '[::1]:7000');
    assert.throws(() => parseHostPort('9999', '--address'), /the --address must be HOST:PORT with a port 0–65535, got '9999'/);
    assert.throws(() => parseHostPort('host:70000'), /HOST:PORT/);
  });
});

describe('the connection relay', () => {
  test('forwards both ways, lists the open connection, and reports it closed when the peer hangs up', async () => {
    const upstream = await upperCaseServer();
    cleanups.push(() => upstream.close());
    const relay = await ConnectionRelay.open({ listen: LOOPBACK_ANY_PORT, upstream: upstream.address });
    cleanups.push(() => relay.close());
    const events = collect(relay);
    assert.match(relay.address, /^127\.0\.0\.1:\d+$/);
    assert.equal(relay.tls, 'off');

    const { port } = parseHostPort(relay.address);
    const peer = net.connect(port, '127.0.0.1');
    assert.equal(await exchange(peer, 'register'), 'REGISTER');
    const [connection] = relay.connections();
    assert.equal(connection?.remote, `127.0.0.1:${peer.localPort}`);
    peer.end();
    // The upstream keeps its half open: the relay still ends the connection and says so.
    await waitUntil(() => events.some((e) => e.kind === 'disconnected'), 5000, 'the disconnection');
    assert.deepEqual(
      events.map((e) => e.kind),
      ['connected', 'disconnected'],
    );
    assert.equal(relay.connections().length, 0);
  });

  test("says the chaincode's server is not listening when nothing is upstream", async () => {
    const vacant = await upperCaseServer();
    await vacant.close();
    const relay = await ConnectionRelay.open({ listen: LOOPBACK_ANY_PORT, upstream: vacant.address });
    cleanups.push(() => relay.close());
    const events = collect(relay);
    const peer = net.connect(parseHostPort(relay.address).port, '127.0.0.1');
    peer.on('error', () => undefined);
    await waitUntil(() => events.some((e) => e.kind === 'disconnected'), 5000, 'the disconnection');
    const gone = events.find((e) => e.kind === 'disconnected');
    assert.match(gone?.kind === 'disconnected' ? (gone.reason ?? '') : '', /the chaincode's server at 127\.0\.0\.1:\d+ is not listening \(is the chaincode running\?\)/);
  });

  test('an address in use is an error before anything listens', async () => {
    const holder = await upperCaseServer();
    cleanups.push(() => holder.close());
    await assert.rejects(ConnectionRelay.open({ listen: holder.address, upstream: holder.address }), (err: Error) => {
      assert.equal(err.name, 'RelayError');
      assert.match(err.message, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${holder.address.port}: the address is in use`));
      return true;
    });
  });

  test('with a client CA: a peer with a certificate it issued gets through (its subject listed); one without is refused', async () => {
    const serverCa = await createCertificateAuthority('O=Org1, CN=ccaas-tls-ca');
    const serverCert = await issueCertificate(serverCa, { subject: 'O=Org1, CN=chaincode', usage: 'server', hosts: ['127.0.0.1'] });
    const clientCa = await createCertificateAuthority('O=Org1, CN=peer-client-ca');
    const client = await issueCertificate(clientCa, { subject: 'O=Org1, CN=peer0.org1.example.com', usage: 'client' });
    const material = { certPem: serverCert.certPem, keyPem: serverCert.keyPem, clientCaPem: clientCa.certPem };
    checkTlsMaterial(material);
    assert.throws(() => checkTlsMaterial({ ...material, keyPem: client.keyPem }), /the TLS certificate and key cannot serve together/);

    const upstream = await upperCaseServer();
    cleanups.push(() => upstream.close());
    const relay = await ConnectionRelay.open({ listen: LOOPBACK_ANY_PORT, upstream: upstream.address, tls: material });
    cleanups.push(() => relay.close());
    const events = collect(relay);
    assert.equal(relay.tls, 'mutual');
    const { port } = parseHostPort(relay.address);

    const peer = tls.connect({ host: '127.0.0.1', port, ca: serverCa.certPem, cert: client.certPem, key: client.keyPem, ALPNProtocols: ['h2'] });
    await new Promise<void>((resolve, reject) => peer.once('secureConnect', resolve).once('error', reject));
    assert.equal(peer.alpnProtocol, 'h2', 'HTTP/2 negotiated, as gRPC needs');
    assert.equal(await exchange(peer, 'hello'), 'HELLO');
    assert.match(relay.connections()[0]?.clientSubject ?? '', /CN=peer0\.org1\.example\.com/);
    peer.destroy();

    const stranger = tls.connect({ host: '127.0.0.1', port, ca: serverCa.certPem, ALPNProtocols: ['h2'] });
    stranger.on('error', () => undefined);
    await waitUntil(() => events.some((e) => e.kind === 'refused'), 5000, 'the refused handshake');
    const refused = events.find((e) => e.kind === 'refused');
    assert.match(refused?.kind === 'refused' ? refused.reason : '', /certificate/i);
    stranger.destroy();
  });
});
