// The file name of a data request's export download (shared by the page, which saves it, and the
// export route, which names it).
export const exportFileName = (id: string) => `data-request-${id}.json`;
