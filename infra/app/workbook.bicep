metadata description = 'An Azure Monitor workbook over the workspace the pipeline\'s telemetry lands in: deliveries by outcome, failure rate by webhook type, latency, the slowest endpoints, automatic disables, poison messages, queue backlog and Durable orchestration outcomes.'

@description('Region of the workbook (the workspace\'s).')
param location string

@description('Tags for the workbook.')
param tags object = {}

@description('Resource id of the Log Analytics workspace Application Insights writes to.')
param workspaceId string

@description('The workbook\'s name in the portal.')
param displayName string = 'Webhook delivery pipeline'

// Metrics reach the workspace's AppMetrics table per export interval: counters as Sum, histograms as
// Sum, ItemCount, Min and Max (no percentiles: those come from the attempt spans in AppDependencies).
// Every metric name and dimension below is checked against what the code emits (InstrumentCatalogueTests).
var queries = {
  deliveriesByOutcome: '''
AppMetrics
| where Name == "webhooks.delivery.concluded"
| extend Status = tostring(Properties["status"])
| summarize Deliveries = sum(Sum) by Status, bin(TimeGenerated, 15m)
'''
  failureRateByType: '''
AppMetrics
| where Name == "webhooks.delivery.attempts"
| extend WebhookType = tostring(Properties["webhook.type"]), Result = tostring(Properties["result"])
| summarize Attempts = sum(Sum), Failed = sumif(Sum, Result != "success") by WebhookType
| extend FailureRatePercent = round(100.0 * Failed / Attempts, 1)
| order by FailureRatePercent desc
'''
  latency: '''
AppMetrics
| where Name in ("webhooks.delivery.time_to_first_attempt", "webhooks.delivery.time_to_success", "webhooks.delivery.attempt.duration")
| extend WebhookType = tostring(Properties["webhook.type"])
| summarize AverageSeconds = round(sum(Sum) / sum(ItemCount), 3), MaxSeconds = round(max(Max), 3), Count = sum(ItemCount) by Name, WebhookType
'''
  attemptPercentiles: '''
AppDependencies
| where Name == "webhooks.delivery.attempt"
| summarize P50Ms = percentile(DurationMs, 50), P95Ms = percentile(DurationMs, 95), P99Ms = percentile(DurationMs, 99) by bin(TimeGenerated, 15m)
'''
  enqueueLatencyPercentiles: '''
AppDependencies
| where Name == "webhooks.delivery"
| extend ToFirstAttempt = todouble(Properties["webhooks.delivery.time_to_first_attempt"]), ToSuccess = todouble(Properties["webhooks.delivery.time_to_success"])
| summarize FirstAttemptP50 = percentile(ToFirstAttempt, 50), FirstAttemptP99 = percentile(ToFirstAttempt, 99), SuccessP50 = percentile(ToSuccess, 50), SuccessP99 = percentile(ToSuccess, 99) by bin(TimeGenerated, 15m)
'''
  slowestEndpoints: '''
AppDependencies
| where Name == "webhooks.delivery.attempt"
| extend Endpoint = coalesce(tostring(Properties["server.address"]), Target)
| summarize Attempts = count(), P95Ms = percentile(DurationMs, 95), Failed = countif(Success == false) by Endpoint
| top 20 by P95Ms desc
'''
  disabledWebhooks: '''
AppMetrics
| where Name == "webhooks.webhooks.disabled"
| extend Reason = tostring(Properties["reason"])
| summarize Disabled = sum(Sum) by Reason
'''
  disabledWebhookLog: '''
AppTraces
| where Properties["EventId"] == "3101"
| project TimeGenerated, WebhookId = tostring(Properties["WebhookId"]), OrganizationId = tostring(Properties["OrganizationId"]), Reason = tostring(Properties["Reason"])
| order by TimeGenerated desc
'''
  poisonMessages: '''
AppMetrics
| where Name == "webhooks.messages.poisoned"
| extend Queue = tostring(Properties["queue"])
| summarize Poisoned = sum(Sum) by Queue, bin(TimeGenerated, 1h)
'''
  queueBacklog: '''
AppMetrics
| where Name in ("webhooks.queue.depth", "webhooks.queue.oldest_message.age")
| extend Queue = tostring(Properties["queue"])
| summarize Value = max(Max) by Name, Queue, bin(TimeGenerated, 5m)
'''
  orchestrations: '''
AppRequests
| where Name startswith "orchestration:"
| extend Outcome = iff(Success, "completed", "failed")
| summarize Executions = count() by Name, Outcome
'''
}

// The query items in order: each a name, a title, its query and how it is drawn.
var panels = [
  { name: 'deliveries-by-outcome', title: 'Deliveries by outcome', query: queries.deliveriesByOutcome, visualization: 'timechart' }
  { name: 'failure-rate-by-type', title: 'Failure rate by webhook type', query: queries.failureRateByType, visualization: 'table' }
  { name: 'latency', title: 'Latency: enqueue to first attempt, enqueue to success, attempt duration (seconds)', query: queries.latency, visualization: 'table' }
  { name: 'attempt-percentiles', title: 'Attempt duration percentiles', query: queries.attemptPercentiles, visualization: 'timechart' }
  { name: 'enqueue-latency-percentiles', title: 'Seconds from enqueue to first attempt and to success, percentiles (from the delivery spans)', query: queries.enqueueLatencyPercentiles, visualization: 'timechart' }
  { name: 'slowest-endpoints', title: 'Slowest endpoints (by host)', query: queries.slowestEndpoints, visualization: 'table' }
  { name: 'disabled-webhooks', title: 'Webhooks disabled automatically, by reason', query: queries.disabledWebhooks, visualization: 'table' }
  { name: 'disabled-webhook-log', title: 'Disabled webhooks and why', query: queries.disabledWebhookLog, visualization: 'table' }
  { name: 'poison-messages', title: 'Poison messages by queue', query: queries.poisonMessages, visualization: 'timechart' }
  { name: 'queue-backlog', title: 'Queue depth and oldest message age', query: queries.queueBacklog, visualization: 'timechart' }
  { name: 'orchestrations', title: 'Durable orchestration executions by outcome (the Durable SDK\'s orchestration spans)', query: queries.orchestrations, visualization: 'piechart' }
]

var content = {
  version: 'Notebook/1.0'
  items: concat([
    {
      type: 1
      name: 'title'
      content: {
        json: '## Webhook delivery pipeline\nDeliveries, failures, latency and backlog from the pipeline\'s OpenTelemetry metrics and spans (meter and source `Webhooks.Pipeline`). See docs/operations.md in the repository for every instrument.'
      }
    }
    {
      type: 9
      name: 'parameters'
      content: {
        version: 'KqlParameterItem/1.0'
        parameters: [
          {
            id: 'time-range'
            version: 'KqlParameterItem/1.0'
            name: 'TimeRange'
            label: 'Time range'
            type: 4
            isRequired: true
            value: {
              durationMs: 86400000
            }
            typeSettings: {
              allowCustom: true
              selectableValues: [
                { durationMs: 3600000 }
                { durationMs: 14400000 }
                { durationMs: 86400000 }
                { durationMs: 604800000 }
              ]
            }
          }
        ]
      }
    }
  ], map(panels, panel => {
    type: 3
    name: panel.name
    content: {
      version: 'KqlItem/1.0'
      title: panel.title
      query: panel.query
      size: 0
      queryType: 0
      resourceType: 'microsoft.operationalinsights/workspaces'
      timeContextFromParameter: 'TimeRange'
      visualization: panel.visualization
    }
  }))
  fallbackResourceIds: [workspaceId]
  '$schema': 'https://github.com/Microsoft/Application-Insights-Workbooks/blob/master/schema/workbook.json'
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name is a GUID; this one is stable per resource group, so a redeployment updates it.
  name: guid(resourceGroup().id, 'webhooks-pipeline-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: workspaceId
    serializedData: string(content)
  }
}

output id string = workbook.id
