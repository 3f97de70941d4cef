# LivePerson Messaging Interactions records (one per line) to a neutral-like conversation, as a user of jq would
# script it by hand: `jq -c -f bench/liveperson-to-neutral.jq export.jsonl > neutral.jsonl`. npm run bench times it
# on the same file as convoshift, to say how the two compare.
#
# A reasonable SUBSET of what `convoshift convert --from liveperson --to neutral` writes, not the same thing:
# - kept: the conversation id and brand, start and end times (ISO 8601 with milliseconds, from the epoch-ms
#   fields), status, language, participants (agents and consumers: id, name, role), messages (id, time, role,
#   text, sequence), csat (score on LivePerson's 1-5 scale) and tags (LivePerson records carry none: an empty list,
#   as convoshift writes);
# - left out: everything convoshift also does per record: the other fields and the lossless remainder
#   (`extensions`), rich content, dialogs, transfers, surveys, validation with rejected records, canonical key order.
# So jq does less work per record than convoshift; the bench's "N× faster" is against this lighter program.

# Epoch milliseconds to 2023-11-20T16:05:58.311Z (jq's todate drops the milliseconds).
def iso_ms:
  if . == null then null
  else ((. / 1000 | floor | todate | rtrimstr("Z")) + "." + ((. % 1000) + 1000 | tostring | .[1:]) + "Z")
  end;

# LivePerson's sentBy (Consumer/Agent, or lower case per its docs) to a neutral role.
def sender_role:
  if . == null then "system" else ({"consumer": "customer", "agent": "agent"}[ascii_downcase] // "system") end;

{
  sourceId: .info.conversationId,
  accountId: .info.brandId,
  vendor: "liveperson",
  startedAt: (.info.startTimeL | iso_ms),
  endedAt: (.info.endTimeL | iso_ms),
  status: (.info.status // "" | ascii_downcase),
  language: .info.language,
  participants: (
    [.agentParticipants[]? | {
      id: .agentId,
      displayName: .agentFullName,
      role: (if .userTypeName == "Bot" then "bot" else "agent" end)
    }]
    + [.consumerParticipants[]? | {id: .participantId, role: "customer"}]
  ),
  messages: [.messageRecords[]? | {
    id: .messageId,
    sentAt: (.timeL | iso_ms),
    role: (.sentBy | sender_role),
    text: (.messageData.msg.text // null),
    sequence: .seq
  }],
  csat: (if .info.csatRate == null then null else {score: .info.csatRate, scale: {min: 1, max: 5}} end),
  tags: []
}
