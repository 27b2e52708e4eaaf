export { adminShellRoutes, hostParam, type AdminShellOptions } from "./routes";
export { renderShellPage, type ShellPageInput } from "./shell-page";
