export { PlatformPage as Component } from '../../features/platform/components/platform-page';
