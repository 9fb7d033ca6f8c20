metadata description = 'Log search alerts on the pipeline\'s OpenTelemetry metrics (meter Webhooks.Pipeline), which workspace-based Application Insights stores in the workspace\'s AppMetrics table: webhooks disabled automatically, a high rate of failed delivery attempts, and events waiting too long in their queue. An e-mail action group when an address is given.'

@description('Region of the rules (the workspace\'s).')
param location string

@description('Tags for the rules and the action group.')
param tags object = {}

@description('Resource id of the Log Analytics workspace Application Insights writes to.')
param workspaceId string

@description('Prefix of the rules\' names.')
param namePrefix string

@description('Name of the action group, created only when alertEmail is set.')
param actionGroupName string

@description('Address the alerts are mailed to. Empty: no action group; the alerts still show in the portal.')
param alertEmail string = ''

@description('The failure-rate alert fires when more than this percentage of delivery attempts in the window fail (non-2xx or no response).')
@minValue(1)
@maxValue(100)
param failureRatePercent int = 50

@description('Below this many attempts in the window the failure rate is not judged (a handful of failures is noise).')
@minValue(1)
param minimumAttempts int = 20

@description('The backlog alert fires when the message at the front of the events queue has waited longer than this many minutes.')
@minValue(1)
param backlogAgeMinutes int = 10

@description('The events queue producers publish to, whose backlog the alert watches.')
param eventsQueueName string = 'webhook-events'

var hasEmail = !empty(alertEmail)

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (hasEmail) {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'webhooks'
    enabled: true
    emailReceivers: [
      {
        name: 'operators'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

var actions = {
  actionGroups: hasEmail ? [actionGroup.id] : []
}

// Counters are exported as deltas: each AppMetrics row's Sum is what was counted in one export interval.
resource webhooksDisabled 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}webhooks-disabled'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Webhooks disabled automatically'
    description: 'A webhook was disabled because its endpoint kept failing (webhooks.webhooks.disabled). The customer has been sent a webhook.disabled event; see the webhook\'s disabledReason.'
    severity: 2
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    // The AppMetrics table appears with the first metric; validating the query before then would fail the deployment.
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
AppMetrics
| where Name == "webhooks.webhooks.disabled"
| extend Reason = tostring(Properties["reason"])
| project TimeGenerated, Reason, Disabled = Sum
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'Disabled'
          dimensions: [
            {
              name: 'Reason'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

// The failure rate is judged over one window: the rule's windowSize (aggregation granularity) and the query's bin
// are this one value, so the rate, the minimum and the alert all speak of the same attempts.
var failureWindowMinutes = 15

resource deliveryFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}delivery-failure-rate'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Webhook deliveries failing at a high rate'
    description: 'More than ${failureRatePercent}% of at least ${minimumAttempts} delivery attempts in ${failureWindowMinutes} minutes failed or got no response (webhooks.delivery.attempts by result). One bad endpoint can do this; many at once points at the pipeline or its network.'
    severity: 2
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT${failureWindowMinutes}M'
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          // A rate cannot be aggregated from per-row rates: attempts and failures are summed per window bin first,
          // and the rate is taken only where the bin holds enough attempts. The alert service runs bin() as bin_at()
          // with a fixed point it sets at run time (Azure Monitor docs, "aggregation granularity"), so an evaluation
          // judges one whole window rather than two clock-aligned parts. Multi-line strings do not interpolate: the
          // values go in with format.
          query: format(
            '''
AppMetrics
| where Name == "webhooks.delivery.attempts"
| extend Result = tostring(Properties["result"])
| summarize Attempts = sum(Sum), Failed = sumif(Sum, Result != "success") by bin(TimeGenerated, {1}m)
| where Attempts >= {0}
| extend FailurePercent = 100.0 * Failed / Attempts
| project TimeGenerated, FailurePercent
''',
            minimumAttempts,
            failureWindowMinutes
          )
          // One row per window bin: Maximum is that bin's rate (a percentage is never summed across bins).
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'FailurePercent'
          operator: 'GreaterThan'
          threshold: failureRatePercent
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

// The backlog gauge is sampled by every host instance; Maximum over the window is the longest wait any of them saw.
resource backlog 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}queue-backlog'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'Events waiting in their queue'
    description: 'The event at the front of the ${eventsQueueName} queue has waited more than ${backlogAgeMinutes} minutes (webhooks.queue.oldest_message.age): the hosts are not keeping up. Only the events queue: a delivery step keeps its first enqueue time through retries and holds, so its age is not a wait.'
    severity: 2
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(
            '''
AppMetrics
| where Name == "webhooks.queue.oldest_message.age"
| extend Queue = tostring(Properties["queue"])
| where Queue == "{0}"
| project TimeGenerated, AgeSeconds = Max
''',
            eventsQueueName
          )
          timeAggregation: 'Maximum'
          metricMeasureColumn: 'AgeSeconds'
          operator: 'GreaterThan'
          threshold: backlogAgeMinutes * 60
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: actions
  }
}

output actionGroupId string = hasEmail ? actionGroup.id : ''
output ruleNames string[] = [webhooksDisabled.name, deliveryFailures.name, backlog.name]
