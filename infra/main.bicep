metadata description = 'The webhook delivery pipeline on Azure Functions (Flex Consumption), provisioned by azd up: resource group, identity, storage, Key Vault, monitoring, the function app, role assignments and alerts.'

targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; it names the resource group and seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer Flex Consumption: az functionapp list-flexconsumption-locations.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the principal running azd, a person or a CI service principal (azd fills it from its sign-in): given rights to publish events, read the tables and manage secrets. Empty: none.')
param principalId string = ''

@description('What principalId is. azd 1.17.2 and later fill it from their sign-in (ServicePrincipal when signed in with a client id, User otherwise); azure.yaml requires such an azd.')
@allowed(['User', 'ServicePrincipal'])
param principalType string = 'User'

@description('Address the alerts are mailed to. Empty: no action group; the alerts still fire in the portal.')
param alertEmail string = ''

@description('Key Vault purge protection. Keep it on for anything real; off lets azd down --purge free the vault\'s name at once.')
param keyVaultPurgeProtection bool = true

@description('The most instances the function app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Memory of each function app instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }

// Names are computed here, not read from module outputs, so role assignments and What-If know them before deployment.
var identityName = '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var logAnalyticsName = '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
// Flex Consumption reads the app's package from this container; azd deploy puts it there.
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
// The queue producers publish to; the queue trigger moves a message it cannot process to eventsQueueName-poison.
var eventsQueueName = 'webhook-events'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/security/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    containers: [deploymentStorageContainerName]
    queues: [eventsQueueName, '${eventsQueueName}-poison']
  }
}

module keyVault 'core/security/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
    enablePurgeProtection: keyVaultPurgeProtection
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: logAnalyticsName
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storageAccountName
    keyVaultName: keyVaultName
    applicationInsightsName: applicationInsightsName
    identityName: identityName
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
  // The names above are plain strings: the resources they name must exist first.
  dependsOn: [identity, storage, keyVault, monitoring]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    planName: '${abbrs.webServerFarms}${resourceToken}'
    name: functionAppName
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentStorageContainerName: deploymentStorageContainerName
    eventsQueueName: eventsQueueName
    keyVaultUri: keyVault.outputs.uri
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
  // The host starts as soon as the app exists: let it find its storage, vault and telemetry rights in place.
  dependsOn: [rbac]
}

module alerts 'app/alerts.bicep' = {
  name: 'alerts'
  scope: rg
  params: {
    location: location
    tags: tags
    workspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    namePrefix: '${abbrs.insightsScheduledQueryRules}${resourceToken}-'
    actionGroupName: '${abbrs.insightsActionGroups}${resourceToken}'
    alertEmail: alertEmail
    eventsQueueName: eventsQueueName
  }
}

module workbook 'app/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    location: location
    tags: tags
    workspaceId: monitoring.outputs.logAnalyticsWorkspaceId
  }
}

// azd writes these into the environment (.azure/<env>/.env; azd env get-values).
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output AZURE_STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output AZURE_STORAGE_QUEUE_ENDPOINT string = storage.outputs.queueEndpoint
output AZURE_STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output WEBHOOKS_EVENTS_QUEUE string = eventsQueueName
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name
output AZURE_KEY_VAULT_URI string = keyVault.outputs.uri
output AZURE_LOG_ANALYTICS_WORKSPACE_NAME string = monitoring.outputs.logAnalyticsWorkspaceName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output SERVICE_API_NAME string = api.outputs.name
output SERVICE_API_URI string = api.outputs.uri
output SERVICE_API_ENDPOINTS string[] = ['${api.outputs.uri}/api']
// Where the operators' workbook opens in the portal (docs/operations.md).
output AZURE_WORKBOOK_URL string = '${environment().portal}/#resource${workbook.outputs.id}/workbook'
