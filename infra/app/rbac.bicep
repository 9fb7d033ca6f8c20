metadata description = 'Role assignments: what the function app\'s identity needs to run, and what the deploying principal (a person, or a CI service principal) needs to publish events and look inside. Each is named by guid(scope, principal or identity, role), so a redeployment finds it again.'

@description('Name of the storage account.')
param storageAccountName string

@description('Name of the Key Vault.')
param keyVaultName string

@description('Name of the Application Insights resource.')
param applicationInsightsName string

@description('Name of the function app\'s user-assigned identity.')
param identityName string

@description('Object id of the principal running the deployment (azd\'s AZURE_PRINCIPAL_ID): a person, or a CI service principal. Empty: no assignments for it.')
param deployerPrincipalId string = ''

@description('What deployerPrincipalId is (azd\'s AZURE_PRINCIPAL_TYPE). Azure refuses an assignment whose type does not match the principal.')
@allowed(['User', 'ServicePrincipal'])
param deployerPrincipalType string = 'User'

// Built-in role definition ids.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// The app: the host's storage (blobs for leases and the deployment package, queues for the trigger and
// Durable, tables for Durable's history); the library's tables and queues (it creates its tables);
// signing secrets written, read and deleted; telemetry sent with Entra authentication.
var storageRolesOfApp = [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor]

// The deploying principal: publish events, read tables and queues, look at the package and the secrets.
var storageRolesOfDeployer = [roles.storageBlobDataContributor, roles.storageQueueDataContributor, roles.storageTableDataContributor]

var hasDeployer = !empty(deployerPrincipalId)

// Assignments for the identity are named by its resource id, known before deployment; its principal id is not.
var identityPrincipalId = identity.properties.principalId

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2025-01-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' existing = {
  name: keyVaultName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource appStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRolesOfApp: {
    name: guid(storage.id, identity.id, role)
    scope: storage
    properties: {
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource appSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

resource appTelemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource deployerStorageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRolesOfDeployer: if (hasDeployer) {
    name: guid(storage.id, deployerPrincipalId, role)
    scope: storage
    properties: {
      principalId: deployerPrincipalId
      principalType: deployerPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

resource deployerSecretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasDeployer) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}
