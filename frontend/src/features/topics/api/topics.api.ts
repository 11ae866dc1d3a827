/** Topic inspection (replaces Kpow): list, read with a jq-style filter, produce. */
import type { ProduceRequest, TopicReadResponse, TopicSummary } from '@kartshoppe/contracts';
import { api } from '../../../lib/api-client';
import { useQuery } from '../../../lib/query-cache';
import type { ReadQuery } from './topic-query.rules';

export interface ProduceResponse {
  topic: string;
  partition: number;
  offset: string;
}

export function fetchTopics(): Promise<TopicSummary[]> {
  return api.get<TopicSummary[]>('/api/topics');
}

export function useTopics() {
  return useQuery<TopicSummary[]>('topics', fetchTopics);
}

export function readMessages(query: ReadQuery, signal?: AbortSignal): Promise<TopicReadResponse> {
  return api.get<TopicReadResponse>('/api/topics/messages', query, signal);
}

/** Producing is open in local mode; a remote platform needs its admin token (x-admin-token). */
export function produceMessage(
  topic: string,
  body: ProduceRequest,
  adminToken?: string,
): Promise<ProduceResponse> {
  const headers = adminToken ? { 'x-admin-token': adminToken } : undefined;
  return api.post<ProduceResponse>(`/api/topics/${encodeURIComponent(topic)}/messages`, body, headers);
}
