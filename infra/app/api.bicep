metadata description = 'The webhook pipeline\'s function app (azd service "api"): its plan, and the settings the Functions host, Durable Functions and the library read in Azure.'

@description('Name of the Flex Consumption plan.')
param planName string

@description('Name of the function app.')
param name string

@description('Region of the plan and the app.')
param location string

@description('Tags for both.')
param tags object = {}

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity: the host\'s storage connection and DefaultAzureCredential (AZURE_CLIENT_ID) pick it with this.')
param identityClientId string

@description('Blob endpoint of the storage account ("https://ACCOUNT.blob.core.windows.net/").')
param storageBlobEndpoint string

@description('Queue endpoint of the storage account.')
param storageQueueEndpoint string

@description('Table endpoint of the storage account.')
param storageTableEndpoint string

@description('The blob container azd deploys the app package to.')
param deploymentStorageContainerName string

@description('The queue producers publish events to (its poison queue is this name + "-poison").')
param eventsQueueName string

@description('URI of the Key Vault holding the webhooks\' secrets.')
param keyVaultUri string

@description('Connection string of the Application Insights resource (which accepts Entra-authenticated telemetry only).')
param applicationInsightsConnectionString string

@description('Memory of each instance, in MB.')
param instanceMemoryMB int = 2048

@description('The most instances the app scales out to.')
param maximumInstanceCount int = 100

var appSettings = {
  // The Functions host, the queue trigger and Durable's Azure Storage provider: identity-based, no keys.
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
  AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
  AzureWebJobsStorage__tableServiceUri: storageTableEndpoint

  // The worker's DefaultAzureCredential (tables, queues, Key Vault, the Azure Monitor exporter) picks the
  // user-assigned identity by this; "prod" keeps the developer-tool credentials out of its chain.
  AZURE_CLIENT_ID: identityClientId
  AZURE_TOKEN_CREDENTIALS: 'prod'

  // Telemetry: the host authenticates with the identity named here; the worker exports with DefaultAzureCredential.
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

  // The library (src/Webhooks.Pipeline): storage through the endpoints with DefaultAzureCredential, secrets in Key Vault.
  Webhooks__Storage__TableServiceUri: storageTableEndpoint
  Webhooks__Storage__QueueServiceUri: storageQueueEndpoint
  WebhookEventsQueue: eventsQueueName
  Webhooks__Secrets__VaultUri: keyVaultUri
}

module functionApp '../core/host/functions-flex-consumption.bicep' = {
  name: 'function-app'
  params: {
    planName: planName
    name: name
    location: location
    tags: tags
    serviceName: 'api'
    identityId: identityId
    deploymentStorageBlobEndpoint: storageBlobEndpoint
    deploymentStorageContainerName: deploymentStorageContainerName
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: appSettings
  }
}

output name string = functionApp.outputs.name
output uri string = functionApp.outputs.uri
output planName string = functionApp.outputs.planName
