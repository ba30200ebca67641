#!/usr/bin/env bash
# Roster sync from a school's or hospital's system: open an import, upload the files, follow it.
#   GATEWAY=http://localhost:4000/graphql TOKEN=<integration token> INSTITUTION=<institution id> \
#     ./roster-sync.sh ONEROSTER_1_2_CSV FULL DRY_RUN oneroster/*.csv
# FORMAT: ONEROSTER_1_2_CSV | PLAIN_CSV; SYNC: FULL | DELTA; APPLY: DRY_RUN | ALL_OR_NOTHING | ROW_BY_ROW.
set -euo pipefail
format=$1 sync=$2 apply=$3; shift 3
gql() { curl -sf "$GATEWAY" -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" -d "$1"; }

link=$(gql "$(jq -n --arg i "$INSTITUTION" --arg f "$format" --arg s "$sync" --arg a "$apply" '{
  query: "mutation Start($input: StartRosterImportInput!) { startRosterImport(input: $input) { uploadUrl expiresAt requiredFiles import { id } } }",
  variables: { input: { institutionId: $i, format: $f, syncMode: $s, applyMode: $a } } }')")
upload_url=$(jq -r '.data.startRosterImport.uploadUrl' <<<"$link")
import_id=$(jq -r '.data.startRosterImport.import.id' <<<"$link")

# One multipart part per file, named by its file name. The link works once, for 15 minutes.
parts=(); for f in "$@"; do parts+=(-F "$(basename "$f")=@$f;type=text/csv"); done
curl -sf -X POST "${parts[@]}" "$upload_url"; echo

while :; do
  status=$(gql "$(jq -n --arg id "$import_id" '{
    query: "query Import($id: ID!) { rosterImport(id: $id) { status progress issueCount counts { rows created updated unchanged deactivated reactivated failed } issues(first: 50) { file line column message } error } }",
    variables: { id: $id } }')")
  state=$(jq -r '.data.rosterImport.status' <<<"$status")
  case $state in QUEUED|VALIDATING|APPLYING) sleep 2 ;; *) jq '.data.rosterImport' <<<"$status"; break ;; esac
done
