/**
 * The `go test` file "Export as test" writes for a Go chaincode (./testExport.ts). Standard library
 * only, in the chaincode's own package, so `go test` in the folder runs it with nothing to add. It
 * starts the real chaincode against the real embedded peer through the launcher's CLI rather than
 * driving a mock stub: contractapi tests usually use generated mocks (counterfeiter in
 * fabric-samples), which check the code against what the test author believes the stub does.
 */
import type { ExportedTransaction, TestTemplateInput } from './testExport';

/** A Go interpreted string literal. JSON's escapes are Go's, for text without lone surrogates (records hold valid UTF-8). */
const goString = (s: string): string => JSON.stringify(s);

function goTransaction(t: ExportedTransaction): string {
  const { status, message, payload, event, validation } = t.expect;
  const eventLiteral = event ? `&recordedEvent{Name: ${goString(event.name)}, Payload: ${goString(event.payload)}}` : 'nil';
  return [
    `\t{ // ${t.txId}`,
    `\t\tSubmit: ${t.submit},`,
    `\t\tArgs:   []string{${t.args.map(goString).join(', ')}},`,
    `\t\tWant:   recordedResult{Status: ${status}, Message: ${goString(message)}, Payload: ${goString(payload)}, Event: ${eventLiteral}, Validation: ${goString(validation)}},`,
    `\t},`,
  ].join('\n');
}

export function renderGoTest(input: TestTemplateInput, goPackage: string): string {
  return `// Recorded with Chaincode Launcher: ${input.provenance.join('\n// ')}
// Each transaction runs again, in order, on this folder's chaincode against the launcher's embedded
// peer (a fresh ledger each run), and must answer as it did then: status, message, payload, event
// and validation. Run it with go test. CHAINCODE_LAUNCHER chooses the launcher: the
// chaincode-launcher command, or its out/src/cli/main.js (run with node).

package ${goPackage}

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type recordedEvent struct {
	Name    string \`json:"name"\`
	Payload string \`json:"payload"\`
}

type recordedResult struct {
	Index      int            \`json:"index"\`
	Status     int            \`json:"status"\`
	Message    string         \`json:"message"\`
	Payload    string         \`json:"payload"\`
	Event      *recordedEvent \`json:"event"\`
	Validation string         \`json:"validation"\`
	Error      string         \`json:"error"\`
}

type recordedTransaction struct {
	Submit bool
	Args   []string
	Want   recordedResult
}

var recordedTransactions = []recordedTransaction{
${input.transactions.map(goTransaction).join('\n')}
}

func TestRecordedTransactions(t *testing.T) {
	launcher := os.Getenv("CHAINCODE_LAUNCHER")
	if launcher == "" {
		launcher = ${goString(input.launcher)}
	}
	folder, err := filepath.Abs(${goString(input.folderFromTest || '.')})
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"launch", folder, "--once", "--port", "0", "--name", ${goString(input.chaincodeName)}, "--channel", ${goString(input.channel)}, "--data-dir", t.TempDir()}
	for _, tx := range recordedTransactions {
		flag := "--query"
		if tx.Submit {
			flag = "--tx"
		}
		encoded, err := json.Marshal(tx.Args)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, flag, string(encoded))
	}
	command := launcher
	if strings.HasSuffix(launcher, ".js") {
		command = "node"
		args = append([]string{launcher}, args...)
	}
	var stderr strings.Builder
	cmd := exec.Command(command, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	// 0: every transaction succeeded; 1: some failed, as recorded ones may have. Else nothing ran.
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("chaincode-launcher: %v\\n%s", err, stderr.String())
	}
	results := map[int]recordedResult{}
	for _, line := range strings.Split(string(out), "\\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		var r recordedResult
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		results[r.Index] = r
	}
	for i, tx := range recordedTransactions {
		i, tx := i, tx
		t.Run(fmt.Sprintf("%d_%s", i, tx.Args[0]), func(t *testing.T) {
			got, ok := results[i]
			if !ok {
				t.Fatalf("no result for transaction %d; the launcher said:\\n%s", i, stderr.String())
			}
			if got.Error != "" {
				t.Fatalf("the peer could not run it: %s", got.Error)
			}
			got.Index = 0
			if !reflect.DeepEqual(got, tx.Want) {
				t.Errorf("got  %s\\nwant %s", describeRecordedResult(got), describeRecordedResult(tx.Want))
			}
		})
	}
}

// describeRecordedResult shows a result with its event's fields rather than the event's address.
func describeRecordedResult(r recordedResult) string {
	event := "none"
	if r.Event != nil {
		event = fmt.Sprintf("%s %q", r.Event.Name, r.Event.Payload)
	}
	return fmt.Sprintf("status %d, message %q, payload %q, event %s, validation %s", r.Status, r.Message, r.Payload, event, r.Validation)
}
`;
}
