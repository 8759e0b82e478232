@allure.label.epic:Sharing
Feature: Link expiry and the expiry sweep
  A share link works until its expiry and not a moment longer: the portal checks the expiry on
  every request. A scheduled task, the expiry sweep, then marks such links as expired, so that the
  people who shared them see it in their list. The studio admins can see the portal's scheduled
  tasks, run one on demand and read its history of runs; nobody else can.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3

  Rule: A link past its expiry is refused, even before the expiry sweep has run

    @allure.severity:critical
    Scenario Outline: A link for 1 hour, shared <age> ago, <outcome>
      Given Theo shared the cut with Gina for 1 hour, <age> ago
      And the expiry sweep has not run since
      When Gina opens the share link
      Then <outcome>

      Examples: Within the hour
        | age        | outcome                                              |
        | 59 minutes | Gina sees "Harbour Lights", version 3, ready to play |

      @negative
      Examples: Past the hour
        | age        | outcome                                |
        | 61 minutes | Gina is told the link is not available |

  Rule: The expiry sweep marks the links past their expiry as expired, and a second run changes nothing

    @local
    Scenario: The sweep marks the links past their expiry as expired, and only those
      Given Theo shared the cut with Gina for 1 day, 2 days ago
      And Theo has since shared the cut with Gina again
      When Ada runs the expiry sweep
      Then the run reports 1 link marked as expired
      And Theo sees the first link as expired and the second as live

    @local
    Scenario: A second run of the sweep changes nothing
      Given Theo shared the cut with Gina for 1 day, 2 days ago
      And Ada has run the expiry sweep
      When Ada runs the expiry sweep again
      Then the run reports 0 links marked as expired
      And Theo sees the link as expired

  Rule: The schedule runs the expiry sweep on its own, and again each time 15 minutes have passed since its last run

    @local
    Scenario: The schedule runs a sweep that has never run
      Given Theo shared the cut with Gina for 1 day, 2 days ago
      When the portal's schedule makes a pass
      Then the schedule has run the expiry sweep
      And Theo sees the link as expired

    @local
    Scenario Outline: With the last run <age> ago, the schedule <verdict> the expiry sweep again
      Given Ada ran the expiry sweep <age> ago
      When the portal's schedule makes a pass
      Then the schedule <verdict> the expiry sweep

      Examples:
        | age        | verdict     |
        | 14 minutes | has not run |
        | 16 minutes | has run     |

  Rule: A run that fails is kept in the history as failed, with its reason, and changes nothing

    @negative @local
    Scenario: A sweep the database refuses is recorded as failed, and marks nothing
      Given Theo shared the cut with Gina for 1 day, 2 days ago
      And the database refuses every change to share links
      When Ada runs the expiry sweep while it fails
      Then Ada is told the run failed, and why
      And the history of the expiry sweep keeps the failed run
      And Theo sees the link not yet marked as expired by the sweep

  Rule: Studio admins see the scheduled tasks, run one on demand and read its history; to anyone else they do not exist

    @local
    Scenario: Every run of the sweep is kept in the task's history
      Given Ada has run the expiry sweep twice
      When Ada reads the history of the expiry sweep
      Then Ada sees 2 successful runs, both started by Ada

    Scenario: The scheduled tasks the portal runs are exactly these
      When Ada looks at the scheduled tasks
      Then Ada sees these tasks, each with how often it runs:
        | task                        | every        |
        | share-links.expiry-sweep    | 15 minutes   |
        | tasks.overdue-reminders     | 15 minutes   |
        | tasks.daily-digest          | 60 minutes   |
        | api.rate-window-sweep       | 15 minutes   |
        | cuts.abandoned-upload-sweep | 15 minutes   |
        | audit.retention             | 1440 minutes |

    @negative @security
    Scenario Outline: <person> can neither see nor run the scheduled tasks
      Given <person> is signed in
      When <person> tries to run the expiry sweep
      Then the portal answers <person> as if the task did not exist

      Examples:
        | person  |
        | Theo    |
        | Gina    |
        | Mallory |
