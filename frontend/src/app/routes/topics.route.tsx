export { TopicsPage as Component } from '../../features/topics/components/topics-page';
