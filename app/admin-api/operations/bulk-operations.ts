// Starting and polling a bulk query (app/sync/full-sync/bulk-operations.server.ts).

// groupObjects: false — grouping is slower and raises Shopify's timeout risk; we join by __parentId.
export const BULK_RUN_QUERY_MUTATION = `#graphql
  mutation FullSyncBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: false) {
      bulkOperation {
        id
        status
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

export const BULK_OPERATION_STATUS_QUERY = `#graphql
  query FullSyncBulkStatus($id: ID!) {
    bulkOperation(id: $id) {
      id
      status
      errorCode
      createdAt
      completedAt
      objectCount
      rootObjectCount
      url
      partialDataUrl
    }
  }
`;
